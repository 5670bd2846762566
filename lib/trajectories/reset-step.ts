/**
 * A playtest can reset its instance to the seed state mid-run. The reset is recorded as a system
 * step with this content, so a replay resets at the same point instead of reporting a divergence.
 */
export const RESET_NOTE = "[playtest] the database was reset to the seed state";

export function isResetStep(step: { role: string; content: string }): boolean {
  return step.role === "system" && step.content === RESET_NOTE;
}
