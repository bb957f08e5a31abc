import type { DraftEngine as EngineName } from "../../contract/draft";
import type { Message } from "../../contract/message";
import type { Retrieved } from "../retrieve";

/** One interface for every way of writing a draft: the offline default and the LLM engines. */
export type DraftRequest = {
  question: string;
  /** Earlier messages of the conversation, oldest first. */
  history: { author_kind: Message["author_kind"]; body: string }[];
  retrieved: Retrieved;
  language: string | null;
};

/** A reply (null: nothing to say) and how confident the engine is that it answers, in [0, 1]. */
export type EngineAnswer = { body: string | null; confidence: number };

export interface DraftEngine {
  readonly name: EngineName;
  answer(request: DraftRequest, signal: AbortSignal): Promise<EngineAnswer>;
}
