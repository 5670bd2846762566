export const llmCallKeys = {
  all: ["llm-calls"] as const,
  list: (filters: Record<string, string>) => [...llmCallKeys.all, "list", filters] as const,
  detail: (id: string) => [...llmCallKeys.all, "detail", id] as const,
};
