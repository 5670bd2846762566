/** One figure of `npm run bench`: a median over samples, compared with its goal. */
export interface Measurement {
  name: string;
  value: number | null;
  unit: string;
  /** The figure must be at most this (all goals here are "lower is better"). */
  goal: number | null;
  pass: boolean;
  /** value / goal: below 1 meets the goal. */
  ratioToGoal: number | null;
  samples: number[];
  note?: string;
  error?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) throw new Error("median of no values");
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round = (value: number) => Math.round(value * 10) / 10;

export function measured(name: string, samples: number[], unit: string, goal: number | null, note?: string): Measurement {
  const value = round(median(samples));
  const ratioToGoal = goal === null ? null : Math.round((value / goal) * 1000) / 1000;
  return { name, value, unit, goal, pass: goal === null || value <= goal, ratioToGoal, samples: samples.map(round), ...(note ? { note } : {}) };
}

/** A measurement that could not be taken still appears, failing, with the reason. */
export function failed(name: string, unit: string, goal: number | null, error: unknown): Measurement {
  return { name, value: null, unit, goal, pass: false, ratioToGoal: null, samples: [], error: error instanceof Error ? error.message : String(error) };
}

export function progress(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}
