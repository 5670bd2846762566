import { parseArgs } from "node:util";
import { onRolloutEpisode, type RolloutParams } from "../../agent/rollout-job.ts";
import { rolloutReport, type RolloutReport } from "../../agent/rollout-report.ts";
import { AGENT_PROTOCOLS, agentSettings, settingsText, MALFORMED_POLICIES, REWARD_SOURCES, type AgentProtocol, type MalformedPolicy } from "../../agent/settings.ts";
import { positiveInteger, resumeOwnRun } from "../job-report.ts";
import { resumeRolloutJob, startRolloutJob } from "../../agent/rollout-job.ts";
import type { JobHandle } from "../../pipeline/job-runner.ts";
import { cancelJob } from "../../pipeline/job-store.ts";
import { loadTrajectoryEnvironment } from "../../trajectories/environment.ts";
import { formatTable, UsageError, type CliIo } from "../output.ts";
import { verdictLine } from "../../awm/verdict.ts";
import { numberText, rewardText } from "../../number-text.ts";
import { plural } from "../../plural.ts";
import { noSuchTask } from "../../awm/no-such-task.ts";

export const rolloutUsage =
  "awm-studio rollout <env> --tasks <i,j,...|all> [--group G] [--concurrency C] [--protocol awm|native] [--model M] [--max-turns N] [--temperature T] [--history-window K] [--on-malformed end|feedback] [--reward code|judge] [--json] (more: --max-tokens N --tool-results tool|user --native-tools environment|meta --truncate-results CHARS --call-timeout-ms MS) | --report JOB | --cancel JOB | --resume JOB   run the agent model on tasks in rollout groups (resumes an interrupted identical run); a job's results so far; stop a job; run a stopped job's rollouts left";

export async function rolloutCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      tasks: { type: "string" },
      group: { type: "string" },
      concurrency: { type: "string" },
      protocol: { type: "string" },
      "native-tools": { type: "string" },
      "tool-results": { type: "string" },
      model: { type: "string" },
      "max-turns": { type: "string" },
      "max-tokens": { type: "string" },
      temperature: { type: "string" },
      "history-window": { type: "string" },
      "truncate-results": { type: "string" },
      "call-timeout-ms": { type: "string" },
      "on-malformed": { type: "string" },
      reward: { type: "string" },
      json: { type: "boolean" },
      report: { type: "string" },
      cancel: { type: "string" },
      resume: { type: "string" },
    },
  });
  if (values.cancel) {
    const cancelled = await cancelJob(values.cancel);
    io.err(cancelled ? `job ${values.cancel} cancelled: its episodes in play stop before their next turn and are not kept; --resume plays them and the rest` : `job ${values.cancel} is not running`);
    return cancelled ? 0 : 1;
  }
  if (values.report) {
    const report = await rolloutReport(values.report);
    if (!report) throw new UsageError(`no rollout job ${values.report}`);
    io.out(values.json ? JSON.stringify(report, null, 2) : describe(report));
    return 0;
  }
  if (values.resume) {
    const handle = await resumeRolloutJob(values.resume);
    io.err(`job ${handle.jobId}: resumed`);
    return follow(handle, Boolean(values.json), io);
  }
  const [environment] = positionals;
  if (!environment || positionals.length > 1 || !values.tasks) throw new UsageError(rolloutUsage);
  const params: RolloutParams = {
    environment,
    tasks: await taskIndexes(environment, values.tasks),
    group: values.group ? positiveInteger(values.group, "--group") : 1,
    concurrency: values.concurrency ? positiveInteger(values.concurrency, "--concurrency") : 1,
    settings: agentSettings({
      protocol: oneOf(values.protocol, AGENT_PROTOCOLS, "--protocol") as AgentProtocol | undefined,
      nativeTools: oneOf(values["native-tools"], ["environment", "meta"] as const, "--native-tools"),
      toolResultsAs: oneOf(values["tool-results"], ["tool", "user"] as const, "--tool-results"),
      model: values.model,
      maxTurns: values["max-turns"] ? positiveInteger(values["max-turns"], "--max-turns") : undefined,
      maxTokens: values["max-tokens"] ? positiveInteger(values["max-tokens"], "--max-tokens") : undefined,
      temperature: values.temperature === undefined ? undefined : temperature(values.temperature),
      historyWindow: values["history-window"] ? positiveInteger(values["history-window"], "--history-window") : undefined,
      truncateToolResult: values["truncate-results"] ? positiveInteger(values["truncate-results"], "--truncate-results") : undefined,
      callTimeoutMs: values["call-timeout-ms"] ? positiveInteger(values["call-timeout-ms"], "--call-timeout-ms") : undefined,
      onMalformed: oneOf(values["on-malformed"], MALFORMED_POLICIES, "--on-malformed") as MalformedPolicy | undefined,
      reward: oneOf(values.reward, REWARD_SOURCES, "--reward"),
    }),
  };
  const sameRun = await resumeOwnRun(io, (job) => job.kind === "rollout" && JSON.stringify(job.params) === JSON.stringify(params));
  const handle: JobHandle = sameRun ?? (await startRolloutJob(params));
  if (!sameRun) io.err(`job ${handle.jobId}: ${plural(params.tasks.length, "task")} × ${plural(params.group, "rollout")} in ${environment}`);
  return follow(handle, Boolean(values.json), io);
}

/** Prints each episode as it ends (not under --json), then the job's report; the exit code says whether it failed. */
async function follow(handle: JobHandle, json: boolean, io: CliIo): Promise<number> {
  const stop = json
    ? () => undefined
    : onRolloutEpisode((jobId, slot, result) => {
        if (jobId !== handle.jobId) return;
        const verdict = result.infraFailure ? `INFRA FAILURE ${result.infraFailure.split("\n")[0]}` : verdictLine(result.classification ?? "", result.reward);
        io.err(`task ${slot.taskIdx} rollout ${slot.rollout}: ${verdict} in ${plural(result.turns, "turn")}`);
      });
  // Ctrl-C ends the process and the job's episodes with it: what finished is kept, and a resume plays the rest.
  const interrupted = () => {
    io.err(`interrupted: job ${handle.jobId} stops here; its finished episodes are kept. Resume it with awm-studio rollout --resume ${handle.jobId} (or cancel it: awm-studio rollout --cancel ${handle.jobId})`);
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  try {
    const outcome = await handle.done;
    const report = await rolloutReport(handle.jobId);
    if (report) io.out(json ? JSON.stringify(report, null, 2) : describe(report));
    if (outcome.error) io.err(`job ${handle.jobId} failed: ${outcome.error}`);
    return outcome.status === "failed" ? 1 : 0;
  } finally {
    process.off("SIGINT", interrupted);
    stop();
  }
}

async function taskIndexes(environment: string, text: string): Promise<number[]> {
  const count = (await loadTrajectoryEnvironment(environment)).tasks.length;
  if (text === "all") return Array.from({ length: count }, (_, index) => index);
  const parts = text.split(",").map((part) => part.trim());
  const wrong = parts.find((part) => !/^\d+$/.test(part) || Number(part) >= count);
  if (wrong !== undefined) throw new UsageError(`--tasks: "${text}": ${noSuchTask(environment, wrong, count)}; give indexes like 0,2 or all`);
  return [...new Set(parts.map(Number))];
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(", ")}, got "${value}"`);
  return value as T;
}

function temperature(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 2) throw new UsageError(`--temperature must be a number from 0 to 2, got "${text}"`);
  return value;
}

function describe(report: RolloutReport): string {
  const number = (value: number | null) => numberText(value, 3, "-");
  const { summary } = report;
  const rows = report.tasks.map((task) => [
    task.taskIdx,
    task.rollouts.map((row) => (row.reward === null ? "infra" : rewardText(row.reward, "-"))).join(" "),
    number(task.mean),
    number(task.std),
    number(task.passAtK["1"] ?? null),
    number(task.passAtK[String(summary.group)] ?? null),
    task.zeroVariance ? "yes" : "",
  ]);
  return [
    ...(summary.status === "interrupted" ? [`job ${report.job} was interrupted (its process is gone): resume it with --resume ${report.job}, or cancel it with --cancel ${report.job}`] : []),
    `job ${report.job} (${report.environment}) ${summary.status}: ${summary.finished}/${summary.episodes} episodes${summary.etaSeconds ? ` (about ${Math.ceil(summary.etaSeconds)} s to go)` : ""}, ${summary.infraFailures} infrastructure failure(s), mean reward ${number(summary.meanReward)} (${summary.reward === "judge" ? "the LLM judge's verdicts" : "the code verifier's verdicts"})${summary.models.length ? `, played by ${summary.models.join(", ")}` : ""}`,
    settingsText(report.settings),
    "",
    formatTable(["task", "rewards", "mean", "std", "pass@1", `pass@${summary.group}`, "zero variance"], rows),
  ].join("\n");
}
