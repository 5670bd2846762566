/**
 * A trajectory's verdicts as the verdict panel shows them, per mode: the latest successful verdict
 * heads it, judge errors newer than that stand beside it, and every other verdict is history.
 * Pure (types only), so the page can group what the API returned.
 */
import { VERIFIER_MODES, type VerifierMode } from "../awm/types.ts";

interface HistoryVerdict {
  mode: VerifierMode;
  classification: string;
}

export interface ModeVerdicts<V extends HistoryVerdict> {
  mode: VerifierMode;
  /** The latest successful verdict; when none succeeded, the latest judge error. */
  headline: V;
  /** Judge errors newer than a successful headline, newest first. */
  failedSince: V[];
  /** Everything older than the headline, newest first. */
  earlier: V[];
}

/** `verdicts` newest first; modes in the order code, sql, each only when it has verdicts. */
export function verdictsByMode<V extends HistoryVerdict>(verdicts: V[]): ModeVerdicts<V>[] {
  const groups: ModeVerdicts<V>[] = [];
  for (const mode of VERIFIER_MODES) {
    const own = verdicts.filter((verdict) => verdict.mode === mode);
    if (own.length === 0) continue;
    const succeeded = own.findIndex((verdict) => verdict.classification !== "judge_error");
    const at = succeeded >= 0 ? succeeded : 0;
    groups.push({ mode, headline: own[at]!, failedSince: own.slice(0, at), earlier: own.slice(at + 1) });
  }
  return groups;
}
