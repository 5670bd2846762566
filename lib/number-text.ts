/** Where a number has no value (no reward, no statistic): one mark across the studio's pages. */
export const NO_NUMBER = "—";

/**
 * A number as the pages show it: `digits` after the point, a true minus sign (U+2212) for a
 * negative, none for what rounds to zero, NO_NUMBER for a missing value.
 */
export function numberText(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_NUMBER;
  const text = Math.abs(value).toFixed(digits);
  return value < 0 && Number(text) !== 0 ? `\u2212${text}` : text;
}

/** A reward: one digit when whole (1.0, −1.0), two otherwise (0.10). */
export function rewardText(reward: number | null | undefined): string {
  return numberText(reward, reward !== null && reward !== undefined && Number.isInteger(reward) ? 1 : 2);
}
