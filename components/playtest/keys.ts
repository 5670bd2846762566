/** React Query keys of the playtest page. */
export const playtestKeys = {
  all: ["playtest"] as const,
  session: (trajectoryId: string, instanceId: string) => [...playtestKeys.all, trajectoryId, instanceId] as const,
  instance: (instanceId: string) => [...playtestKeys.all, "instance", instanceId] as const,
};
