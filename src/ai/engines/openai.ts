import { confidenceOf } from "../confidence";
import type { DraftEngine, DraftRequest, EngineAnswer } from "./engine";
import { chatMessages, replyOf } from "./prompt";

/**
 * Any OpenAI-compatible chat completions endpoint (OpenAI, Azure's, vLLM, Ollama, …): the account's
 * base URL, model and key. The confidence stays the retrieval's (the model is prompted with the same
 * passages); a model that says it cannot answer makes it 0. Errors and non-2xx answers throw, and
 * the caller falls back to the offline engine.
 */
export function openAiEngine(config: { base_url: string; model: string; key: string | null }): DraftEngine {
  return {
    name: "openai",
    async answer(request: DraftRequest, signal: AbortSignal): Promise<EngineAnswer> {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (config.key) headers.authorization = `Bearer ${config.key}`;
      const res = await fetch(`${config.base_url}/chat/completions`, {
        method: "POST",
        headers,
        body: JSON.stringify({ model: config.model, messages: chatMessages(request), temperature: 0, max_tokens: 400 }),
        signal,
        redirect: "manual",
      });
      if (!res.ok) throw new Error(`the endpoint answered ${res.status}`);
      const json = (await res.json()) as { choices?: { message?: { content?: string } }[] };
      const content = json.choices?.[0]?.message?.content;
      if (typeof content !== "string") throw new Error("the endpoint's answer has no choices[0].message.content");
      const body = replyOf(content);
      return { body, confidence: body === null ? 0 : confidenceOf(request.retrieved.features) };
    },
  };
}
