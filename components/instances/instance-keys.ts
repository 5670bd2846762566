/** React Query keys of the Instances page. */
export const instanceKeys = {
  all: ["instances"] as const,
  list: () => [...instanceKeys.all, "list"] as const,
};
