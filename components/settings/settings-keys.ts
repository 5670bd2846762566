export const settingsKeys = {
  all: ["settings"] as const,
  llm: () => [...settingsKeys.all, "llm"] as const,
};
