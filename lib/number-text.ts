/** Where a number has no value (no reward, no statistic): one mark across the studio. */
export const NO_NUMBER = "—";

/** The pages' minus sign (U+2212); the CLI writes ASCII "-", which scripts and other tools read. */
export const MINUS = "\u2212";

/**
 * A number as the studio shows it: `digits` after the point, `minus` before a negative, none for
 * what rounds to zero, NO_NUMBER for a missing value.
 */
export function numberText(value: number | null | undefined, digits: number, minus = MINUS): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_NUMBER;
  const text = Math.abs(value).toFixed(digits);
  return value < 0 && Number(text) !== 0 ? `${minus}${text}` : text;
}

/** A reward: one digit when whole (1.0, −1.0), two otherwise (0.10). */
export function rewardText(reward: number | null | undefined, minus = MINUS): string {
  return numberText(reward, reward !== null && reward !== undefined && Number.isInteger(reward) ? 1 : 2, minus);
}
