/**
 * A failure that is not the agent's: the model endpoint, the environment (crash, timeout), the
 * judging, or the studio itself. Such a rollout has no reward and stays out of its group's statistics.
 */
export type InfraSource = "model endpoint" | "environment" | "verifier" | "judge" | "studio";

export class InfraFailure extends Error {
  constructor(
    readonly source: InfraSource,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = "InfraFailure";
  }
}

/** What a stored failure's text (an InfraFailure's message) says went wrong, when `source` failed; else undefined. */
export function infraFailureOf(source: InfraSource, text: string | null | undefined): string | undefined {
  return text?.startsWith(`${source}: `) ? text.slice(source.length + 2) : undefined;
}
