/**
 * The verdicts an AWM run folder already carries: `verify.code.json` (the code verifier's
 * `{"result": "complete" | "others", ...}`) and `verify.sql.json` (the LLM judge's classification,
 * reasoning and confidences over the `verify_task` evidence). The raw JSON is kept as the
 * verifier output; the fields are read under the names AWM and its variants use.
 */
import type { VerifierMode } from "../awm/types.ts";
import { rewardFor, type VerdictClass } from "../awm/verdict.ts";
import type { NewVerdict } from "./store.ts";

const VERDICT_CLASSES: readonly string[] = ["complete", "incomplete", "agent_error", "server_error", "others", "judge_error"];

export const VERIFY_FILES: Record<VerifierMode, string> = { code: "verify.code.json", sql: "verify.sql.json" };

export function verdictFromRunFile(mode: VerifierMode, value: unknown, rawText: string): NewVerdict {
  const record = isObject(value) ? value : {};
  const nested = [record, ...["judgement", "judgment", "verification", "verdict", "output", "result"].map((key) => record[key]).filter(isObject)];
  const label = firstString(nested, ["classification", "result", "verdict", "label", "class"])?.toLowerCase();
  const error = firstString(nested, ["error", "exception"]);
  if (!label || !VERDICT_CLASSES.includes(label)) {
    return {
      mode,
      classification: "judge_error",
      reward: 0,
      error: error ?? `${VERIFY_FILES[mode]} has no recognised classification (looked for classification/result/verdict; found ${JSON.stringify(label ?? null)})`,
      verifierOutput: rawText,
    };
  }
  const classification = label as VerdictClass;
  const reward = firstNumber(nested, ["reward", "score"]) ?? rewardFor(classification);
  return {
    mode,
    classification,
    reward,
    reasoning: firstString(nested, ["reasoning", "reason", "explanation", "rationale"]) ?? "",
    confidence: confidenceOf(nested),
    evidence: nested.map((candidate) => candidate.evidence ?? candidate.verify_result ?? candidate.sql_result).find((found) => found !== undefined) ?? {},
    verifierOutput: rawText,
    error: error ?? "",
  };
}

function confidenceOf(candidates: Record<string, unknown>[]): Record<string, number> {
  for (const candidate of candidates) {
    for (const key of ["confidence", "confidences", "confidence_scores", "probabilities"]) {
      const value = candidate[key];
      if (!isObject(value)) continue;
      const entries = Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === "number");
      if (entries.length > 0) return Object.fromEntries(entries);
    }
  }
  return {};
}

function firstString(candidates: Record<string, unknown>[], keys: string[]): string | undefined {
  for (const candidate of candidates) {
    for (const key of keys) {
      const value = candidate[key];
      if (typeof value === "string" && value.trim() !== "") return value.trim();
    }
  }
  return undefined;
}

function firstNumber(candidates: Record<string, unknown>[], keys: string[]): number | undefined {
  for (const candidate of candidates) {
    for (const key of keys) {
      const value = candidate[key];
      if (typeof value === "number" && Number.isFinite(value)) return value;
    }
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
