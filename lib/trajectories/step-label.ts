/**
 * How a step is named and how its outcome reads, the same on the playtest and trajectory pages, live
 * and after a reload: both come from the recorded step alone.
 */

/** Steps are numbered from 1 wherever a person reads them; ordinals stay 0-based in data and URLs. */
export function stepNumber(ordinal: number): number {
  return ordinal + 1;
}

export interface StepStatus {
  label: string;
  tone: "ok" | "error";
}

/** A failed call reads "HTTP 422" (the status recorded in its response text) or "error"; a successful one "ok". */
export function stepStatus(step: { isError: boolean; toolResponse: string | null }): StepStatus {
  if (!step.isError) return { label: "ok", tone: "ok" };
  const status = /^HTTP (\d{3}): /.exec(step.toolResponse ?? "")?.[1];
  return { label: status ? `HTTP ${status}` : "error", tone: "error" };
}
