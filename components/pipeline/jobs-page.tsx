"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorBox } from "@/components/ui/error-box";
import { fetchJson } from "@/components/ui/fetch-json";
import type { EnvironmentProgress, JobList, JobProgress, StageProgress } from "@/lib/pipeline/progress";
import type { RolloutSummary } from "@/lib/agent/rollout-job";
import { PIPELINE_STAGES } from "@/lib/awm/types";
import { formatCost, formatTokens } from "./format";
import { JobProgressBar, jobStatusTone } from "./job-progress";
import { jobKeys } from "@/components/query-keys";
import table from "@/components/ui/table.module.css";
import styles from "./jobs.module.css";
import { formatWhen } from "@/components/ui/date-time";
import { plural } from "@/lib/plural";

const REFRESH_WHILE_RUNNING_MS = 2_000;

function isRunning(job: JobProgress): boolean {
  return job.status === "running" || job.status === "queued";
}

/** An ended rollout job's infrastructure failures (episodes never scored), said beside its status. */
function InfraFailures({ summary }: { summary: unknown }) {
  const { finished, infraFailures } = (summary ?? {}) as Partial<RolloutSummary>;
  if (typeof finished !== "number" || typeof infraFailures !== "number" || infraFailures === 0) return null;
  return (
    <Badge tone={infraFailures === finished ? "error" : "warning"} testId="job-infra-failures">
      infrastructure failures: {infraFailures} of {plural(finished, "episode")}
    </Badge>
  );
}

/** "regen tasks of maple_… (with downstream)" or "gen 20 environments × 10 tasks". */
function jobTitle(job: JobProgress) {
  const params = (job.params ?? {}) as Record<string, unknown>;
  if (job.kind === "rollout") {
    return (
      <>
        <Link href={`/rollouts/${encodeURIComponent(job.id)}`}>Rollouts</Link> in <span className="mono">{String(params.environment ?? "")}</span>: {Array.isArray(params.tasks) ? plural(params.tasks.length, "task") : "? tasks"} × {String(params.group ?? "?")}
      </>
    );
  }
  if (job.kind === "regen") {
    const environment = String(params.environment ?? "");
    return (
      <>
        Regenerate <strong>{String(params.stage ?? "")}</strong>
        {params.cascade === true && " and downstream"} of{" "}
        <Link href={`/environments/${encodeURIComponent(environment)}?tab=pipeline`} className="mono">
          {environment}
        </Link>
      </>
    );
  }
  return (
    <>
      Generate <strong>{String(params.count ?? "?")}</strong> environments × {String(params.tasks ?? "?")} tasks
    </>
  );
}

function SpendCells({ spend, pricesSet }: { spend: { promptTokens: number; completionTokens: number; costUsd: number }; pricesSet: boolean }) {
  return (
    <>
      <td className="num">{formatTokens(spend.promptTokens, spend.completionTokens)}</td>
      <td className="num">{formatCost(spend.costUsd, pricesSet)}</td>
    </>
  );
}

function StageTable({ stages, pricesSet }: { stages: Record<string, StageProgress>; pricesSet: boolean }) {
  const names = [...PIPELINE_STAGES, "error_summary"].filter((stage) => stages[stage]);
  return (
    <table className={`${table.table} ${table.wide} ${styles.table}`}>
      <thead>
        <tr>
          <th>Stage</th>
          <th>Passed</th>
          <th>Failed</th>
          <th>Running</th>
          <th>Attempts</th>
          <th>Tokens</th>
          <th>Cost</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => {
          const stage = stages[name]!;
          return (
            <tr key={name}>
              <td>{name}</td>
              <td className="num">{stage.passed}</td>
              <td className={`num${stage.failed > 0 ? ` ${styles.bad}` : ""}`}>{stage.failed}</td>
              <td className="num">{stage.running}</td>
              <td className="num">{stage.attempts}</td>
              <SpendCells spend={stage} pricesSet={pricesSet} />
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function EnvironmentTable({ environments, pricesSet }: { environments: Record<string, EnvironmentProgress>; pricesSet: boolean }) {
  return (
    <table className={`${table.table} ${table.wide} ${styles.table}`}>
      <thead>
        <tr>
          <th>Environment</th>
          <th>Status</th>
          <th>Passed</th>
          <th>Failed</th>
          <th>Running</th>
          <th>Tokens</th>
          <th>Cost</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(environments).map(([name, environment]) => (
          <tr key={name}>
            <td>
              <Link href={`/environments/${encodeURIComponent(name)}?tab=pipeline`} className="mono">
                {name}
              </Link>
            </td>
            <td>
              <Badge tone={environment.status === "done" ? "ok" : environment.status === "failed" ? "error" : "info"}>{environment.status}</Badge>
            </td>
            <td className="num">{environment.passed}</td>
            <td className={`num${environment.failed > 0 ? ` ${styles.bad}` : ""}`}>{environment.failed}</td>
            <td className="num">{environment.running}</td>
            <SpendCells spend={environment} pricesSet={pricesSet} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function JobCard({ job }: { job: JobProgress }) {
  const environments = Object.keys(job.environments).length;
  const head = (
    <header className={styles.jobHead}>
      <span>{jobTitle(job)}</span>
      <span className="faint">
        {formatWhen(job.createdAt)} · <span className="mono">{job.id}</span>
      </span>
    </header>
  );
  // A rollout job has no pipeline stages: its episodes, rewards and tokens are on its results page.
  if (job.kind === "rollout") {
    return (
      <article className={`card ${styles.job}`} data-testid={`job-${job.id}`} data-status={job.status}>
        {head}
        <div>
          <Badge tone={jobStatusTone(job.status)}>{job.status}</Badge> <InfraFailures summary={job.summary} />{" "}
          <Link href={`/rollouts/${encodeURIComponent(job.id)}`}>episodes, rewards and tokens →</Link>
        </div>
      </article>
    );
  }
  return (
    <article className={`card ${styles.job}`} data-testid={`job-${job.id}`} data-status={job.status}>
      {head}
      <JobProgressBar progress={job} />
      <details className={styles.breakdown} open={isRunning(job)}>
        <summary>
          Per stage{environments > 1 ? ` and per environment (${environments})` : ""}
        </summary>
        <StageTable stages={job.stages} pricesSet={job.pricesSet} />
        {environments > 1 && <EnvironmentTable environments={job.environments} pricesSet={job.pricesSet} />}
      </details>
    </article>
  );
}

/** Running and past jobs (generation, regeneration, rollouts), newest first; refreshes while any runs. */
export function JobsPage() {
  const jobs = useQuery({
    queryKey: jobKeys.list(),
    queryFn: async () => (await fetchJson<JobList>("/api/pipeline/jobs")).jobs.filter((job): job is JobProgress => job !== null),
    refetchInterval: (query) => (query.state.data?.some(isRunning) ? REFRESH_WHILE_RUNNING_MS : false),
  });
  return (
    <div className="page" data-testid="jobs-page">
      <div className="page__header">
        <div>
          <h1>Jobs</h1>
          <div className="page__subtitle">Generation and regeneration runs with their progress, tokens and cost, and rollout groups. Start one from an environment&apos;s Pipeline tab or Rollouts, or with the CLI.</div>
        </div>
      </div>
      {jobs.isError && <ErrorBox title="Could not load the jobs" error={jobs.error} />}
      {jobs.data?.length === 0 && <EmptyState title="No jobs yet">Regenerate a stage from an environment&apos;s Pipeline tab, or run <code>awm-studio gen</code>.</EmptyState>}
      <div className={styles.list}>
        {jobs.data?.map((job) => (
          <JobCard key={job.id} job={job} />
        ))}
      </div>
    </div>
  );
}
