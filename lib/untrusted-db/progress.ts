/**
 * What a read is doing (e.g. which table), reported by the database reader so that a read that is
 * killed names where it was. Outside the reader process it goes nowhere.
 */
let sink: ((note: string) => void) | undefined;

export function reportProgress(note: string): void {
  sink?.(note);
}

export function setProgressSink(report: (note: string) => void): void {
  sink = report;
}
