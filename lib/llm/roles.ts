/** The roles a model plays in the studio (importable from browser code: no server imports here). */
export const LLM_ROLES = ["generator", "agent", "judge"] as const;
export type LlmRole = (typeof LLM_ROLES)[number];
