/**
 * A failure that is not the agent's: the model endpoint, the environment (crash, timeout), the
 * judging, or the studio itself. Such a rollout has no reward and stays out of its group's statistics.
 */
export class InfraFailure extends Error {
  constructor(
    readonly source: "model endpoint" | "environment" | "verifier" | "judge" | "studio",
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = "InfraFailure";
  }
}
