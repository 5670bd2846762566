/** One figure of `npm run bench`: a median over samples, compared with its goal. */
import { messageOf } from "../lib/errors.ts";
export interface Measurement {
  name: string;
  value: number | null;
  unit: string;
  /** The goal's bound: the figure must be at most this, or at least this when `goalKind` is "at_least". */
  goal: number | null;
  goalKind: GoalKind;
  pass: boolean;
  /** value / goal: below 1 meets an "at_most" goal, 1 or more meets an "at_least" goal. */
  ratioToGoal: number | null;
  samples: number[];
  /** 95th percentile of the samples, where asked for. */
  p95?: number;
  /** The same figure measured AWM's way (or the unoptimized way), in the same run. */
  reference?: Reference;
  /** value / reference.value. */
  ratioToReference?: number;
  note?: string;
  error?: string;
}

export type GoalKind = "at_most" | "at_least";

export interface Reference {
  what: string;
  value: number;
  p95?: number;
  samples: number[];
}

export interface MeasureOptions {
  goalKind?: GoalKind;
  withP95?: boolean;
  note?: string;
  /** Samples of the reference way, with what it is. */
  reference?: { what: string; samples: number[] };
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (the median of an even count averages the two middle values). */
export function percentile(values: number[], rank: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) throw new Error(`percentile ${rank} of no values`);
  if (rank === 50) {
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  }
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1))]!;
}

const round = (value: number) => Math.round(value * 10) / 10;
const ratio = (value: number, to: number) => Math.round((value / to) * 1000) / 1000;

function meetsGoal(value: number, goal: number | null, goalKind: GoalKind): boolean {
  if (goal === null) return true;
  return goalKind === "at_least" ? value >= goal : value <= goal;
}

export function measured(name: string, samples: number[], unit: string, goal: number | null, options: MeasureOptions | string = {}): Measurement {
  const { goalKind = "at_most", withP95 = false, note, reference } = typeof options === "string" ? { note: options } : options;
  const value = round(median(samples));
  const figure: Measurement = {
    name,
    value,
    unit,
    goal,
    goalKind,
    pass: meetsGoal(value, goal, goalKind),
    ratioToGoal: goal === null ? null : ratio(value, goal),
    samples: samples.map(round),
  };
  if (withP95) figure.p95 = round(percentile(samples, 95));
  if (reference && reference.samples.length > 0) {
    const referenceValue = round(median(reference.samples));
    figure.reference = { what: reference.what, value: referenceValue, samples: reference.samples.map(round) };
    if (withP95) figure.reference.p95 = round(percentile(reference.samples, 95));
    if (referenceValue !== 0) figure.ratioToReference = ratio(value, referenceValue);
  }
  if (note) figure.note = note;
  return figure;
}

/** A measurement that could not be taken still appears, failing, with the reason. */
export function failed(name: string, unit: string, goal: number | null, error: unknown, goalKind: GoalKind = "at_most"): Measurement {
  return { name, value: null, unit, goal, goalKind, pass: false, ratioToGoal: null, samples: [], error: errorText(error) };
}

/** An error's message (start failures carry the stderr tail in theirs). */
export function errorText(error: unknown): string {
  return messageOf(error);
}

export function progress(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}
