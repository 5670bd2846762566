/** "1 m 05 s", "42 s". */
export function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} m ${String(whole % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} m`;
}

export function formatTokens(promptTokens: number, completionTokens: number): string {
  return `${promptTokens.toLocaleString("en-US")} in / ${completionTokens.toLocaleString("en-US")} out`;
}

/** Dollars with cents, or fractions of a cent for cheap runs; "cost unknown" while no price is set. */
export function formatCost(usd: number, pricesSet: boolean): string {
  if (!pricesSet) return "cost unknown";
  if (usd === 0) return "$0";
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}
