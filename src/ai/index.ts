/** What other capabilities take from the AI: language detection and the knowledge-base topic (routing). */
export { detectLanguage } from "./language";
export { matchTopic } from "./topic";
export { asksForHuman } from "./escalation";
