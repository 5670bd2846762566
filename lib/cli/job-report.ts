import { orphanedJobs, resumeJobs, type JobHandle } from "../pipeline/job-runner.ts";
import type { JobKind } from "../pipeline/job-store.ts";
import { plural } from "../plural.ts";
import type { JobProgress } from "../pipeline/progress.ts";
import type { StageEvent } from "../pipeline/stage-loop.ts";
import { formatTable, UsageError, type CliIo } from "./output.ts";

export function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a positive integer, got "${text}"`);
  return value;
}

/** One stderr line per finished attempt (a passed one with its warnings, when the check had doubts). */
export function printStageEvents(io: CliIo): (jobId: string, event: StageEvent) => void {
  return (_jobId, event) => {
    const where = `${event.environmentName || "(scenarios)"} ${event.stage}${event.key ? ` ${event.key}` : ""}`;
    const warned = event.warnings.length ? `; ${event.warnings.length} warning(s), first: ${event.warnings[0]}` : "";
    if (event.passed) io.err(`passed  ${where} (attempt ${event.attempt}${warned})`);
    else io.err(`${event.finished ? "FAILED " : "retry  "} ${where} attempt ${event.attempt}: ${(event.errors[0] ?? "").split("\n")[0]}`);
  };
}

/**
 * Resumes the interrupted job `wanted` picks (this very command's run, left by a process that died),
 * saying so, and names the other interrupted jobs it leaves alone: the studio server resumes those at
 * its start. A command resumed every one, running other environments' rollouts and regenerations on
 * the user's model budget, their progress mixed into its own.
 */
export async function resumeOwnRun(io: CliIo, wanted: (job: { kind: JobKind; params: unknown }) => boolean): Promise<JobHandle | undefined> {
  const [own] = await resumeJobs(wanted);
  if (own) io.err(`resuming job ${own.jobId}, the same run left unfinished by a process that died`);
  const others = await orphanedJobs();
  if (others.length > 0) {
    io.err(`${plural(others.length, "other interrupted job")} (${others.map((job) => `${job.kind} ${job.id}`).join(", ")}) left for the studio server to resume at its start (npm start), or for the command that started each to resume when run again`);
  }
  return own;
}

export function printJobReport(io: CliIo, progress: JobProgress | undefined, json: boolean): void {
  if (!progress) return;
  const money = (usd: number) => (progress.pricesSet ? `$${usd.toFixed(4)}` : "unknown");
  if (json) {
    io.out(JSON.stringify(progress, null, 2));
    return;
  }
  const lines = [`job ${progress.id} (${progress.kind}) ${progress.status} in ${progress.elapsedSeconds.toFixed(1)} s; ${progress.totals.promptTokens} prompt + ${progress.totals.completionTokens} completion tokens, ${money(progress.totals.costUsd)}`, ""];
  lines.push(
    formatTable(
      ["stage", "passed", "failed", "running", "attempts", "tokens", "cost"],
      Object.entries(progress.stages).map(([stage, s]) => [stage, s.passed, s.failed, s.running, s.attempts, s.promptTokens + s.completionTokens, money(s.costUsd)]),
    ),
    "",
  );
  lines.push(
    formatTable(
      ["environment", "status", "stages passed", "failed", "tokens", "cost"],
      Object.entries(progress.environments).map(([name, e]) => [name, e.status, e.passed, e.failed, e.promptTokens + e.completionTokens, money(e.costUsd)]),
    ),
  );
  if (!progress.pricesSet) lines.push("", "cost unknown: no price is set (the setting pipeline.prices, or AWM_STUDIO_PRICE_IN and AWM_STUDIO_PRICE_OUT in USD per 1M tokens)");
  if (progress.error) lines.push("", `error: ${progress.error}`);
  io.out(lines.join("\n"));
}
