export const settingsKeys = {
  all: ["settings"] as const,
  llm: () => [...settingsKeys.all, "llm"] as const,
  runtime: () => [...settingsKeys.all, "runtime"] as const,
};
