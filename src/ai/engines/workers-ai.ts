import { confidenceOf } from "../confidence";
import type { DraftEngine, DraftRequest, EngineAnswer } from "./engine";
import { chatMessages, replyOf } from "./prompt";

/**
 * Workers AI through the `AI` binding, which only the production environment declares (an `[ai]`
 * binding in the default config stops `wrangler dev` and the tests: DESIGN §5). The same prompt and
 * confidence as the OpenAI-compatible engine.
 */
export function workersAiEngine(ai: Ai, model: string): DraftEngine {
  return {
    name: "workers_ai",
    async answer(request: DraftRequest, signal: AbortSignal): Promise<EngineAnswer> {
      const run = (ai.run as (model: string, input: unknown) => Promise<unknown>)(model, { messages: chatMessages(request), max_tokens: 400 });
      const aborted = new Promise<never>((_, fail) => signal.addEventListener("abort", () => fail(signal.reason), { once: true }));
      const out = (await Promise.race([run, aborted])) as { response?: string };
      const body = replyOf(out.response);
      return { body, confidence: body === null ? 0 : confidenceOf(request.retrieved.features) };
    },
  };
}
