"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { settingsText } from "@/lib/agent/settings";
import Link from "next/link";
import type { RolloutResults } from "@/lib/agent/rollout-results";
import { Badge } from "@/components/ui/badge";
import { useEnvironmentDetail } from "@/components/environment/environment-page";
import { jobStatusTone } from "@/components/pipeline/job-progress";
import { formatTokens } from "@/components/pipeline/format";
import { plural } from "@/lib/plural";
import { ErrorBox } from "@/components/ui/error-box";
import { RefreshError } from "@/components/ui/refresh-error";
import { fetchJson } from "@/components/ui/fetch-json";
import { numberText } from "@/lib/number-text";
import { rolloutKeys } from "@/components/query-keys";
import { useUrlFilters } from "@/components/ui/use-url-filters";
import { RewardHistogram } from "./reward-histogram";
import { rewardHistogram } from "./reward-histogram-data";
import { RolloutGrid, RolloutLegend } from "./rollout-grid";
import { ToolUsageTable } from "./tool-usage-table";
import styles from "./rollouts.module.css";

const REFRESH_MS = 2_000;
const PICKED_NONE = { task: "" };

function isRunning(status: string): boolean {
  return status === "running" || status === "queued";
}

/** A job stopped before its rollouts were all played (failed, cancelled, or its process died), with none still in play. */
function resumable(summary: RolloutResults["report"]["summary"]): boolean {
  return ["failed", "cancelled", "interrupted"].includes(summary.status) && summary.playing === 0;
}

/** Whether the results can still change: the job runs, or a cancelled one's episodes in play have not ended yet. */
function isLive(summary: RolloutResults["report"]["summary"]): boolean {
  return isRunning(summary.status) || summary.playing > 0;
}

/** A rollout job's results, refreshed while it runs: the task × rollout grid, reward histograms and tool usage. */
export function RolloutResultsPage({ jobId }: { jobId: string }) {
  const results = useQuery({
    queryKey: rolloutKeys.results(jobId),
    queryFn: () => fetchJson<RolloutResults>(`/api/rollouts/${encodeURIComponent(jobId)}`),
    refetchInterval: (query) => (query.state.data && !isLive(query.state.data.report.summary) ? false : REFRESH_MS),
  });
  const cancel = useMutation({ mutationFn: () => fetchJson(`/api/rollouts/${encodeURIComponent(jobId)}/cancel`, { method: "POST", body: "{}" }) });
  const queryClient = useQueryClient();
  const resume = useMutation({
    mutationFn: () => fetchJson(`/api/rollouts/${encodeURIComponent(jobId)}/resume`, { method: "POST", body: "{}" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: rolloutKeys.results(jobId) }),
  });
  // The picked task is in the URL (`?task=N`): a reload or a shared link shows the same.
  const [picked, setPicked] = useUrlFilters(PICKED_NONE);
  const selected = picked.task === "" ? null : Number(picked.task);
  const setSelected = (taskIdx: number | null) => setPicked({ task: taskIdx === null ? "" : String(taskIdx) });
  const environment = useEnvironmentDetail(results.data?.report.environment);
  const taskTexts = new Map((environment.data?.tasks ?? []).map((task) => [task.idx, task.text]));
  if (!results.data) return results.error ? <div className="page"><ErrorBox title="Cannot open this rollout job" error={results.error} /></div> : <div className="page faint">Loading rollouts…</div>;
  const { report, toolUsage } = results.data;
  const { summary } = report;
  const selectedTask = report.tasks.find((task) => task.taskIdx === selected);
  return (
    <div className="page" data-testid="rollout-results" data-status={summary.status}>
      {results.error && <RefreshError error={results.error} />}
      <div className="page__header">
        <div>
          <h1>
            Rollouts in <Link href={`/environments/${encodeURIComponent(report.environment)}`} className="mono">{report.environment}</Link>
          </h1>
          <div className="page__subtitle">
            <Badge tone={jobStatusTone(summary.status)}>{summary.status}</Badge> {summary.finished.toLocaleString("en-US")} of {plural(summary.episodes, "episode")} finished · mean reward{" "}
            {numberText(summary.meanReward, 3)} <span data-testid="reward-source">({summary.reward === "judge" ? "LLM judge" : "code verifier"})</span> · {plural(summary.infraFailures, "infrastructure failure")}
            {summary.models.length > 0 && (
              <>
                {" "}· played by <span className="mono" data-testid="rollout-models">{summary.models.join(", ")}</span>
              </>
            )}
            {summary.etaSeconds !== null && isRunning(summary.status) && ` · about ${Math.ceil(summary.etaSeconds)} s left`}
            {" "}· <span data-testid="rollout-tokens">tokens {formatTokens(summary.promptTokens, summary.completionTokens)}</span>
            {!isRunning(summary.status) && summary.playing > 0 && <span data-testid="rollout-playing"> · {plural(summary.playing, "episode")} in play stopping</span>} · <span className="mono">{report.job}</span>
          </div>
        </div>
        {isRunning(summary.status) && (
          <button type="button" className="button" disabled={cancel.isPending || cancel.isSuccess} onClick={() => cancel.mutate()}>
            {cancel.isSuccess ? "Cancelling…" : "Cancel"}
          </button>
        )}
        {resumable(summary) && (
          <button type="button" className="button button--primary" disabled={resume.isPending} onClick={() => resume.mutate()} data-testid="rollout-resume">
            Resume
          </button>
        )}
      </div>
      <p className="faint" data-testid="rollout-settings">
        {settingsText(report.settings)}
      </p>
      {summary.error && <ErrorBox title="The job failed" error={summary.error} />}
      {cancel.error && <ErrorBox title="Could not cancel" error={cancel.error} />}
      {resume.error && <ErrorBox title="Could not resume" error={resume.error} />}
      <RolloutGrid tasks={report.tasks} taskTexts={taskTexts} group={summary.group} selected={selected} onSelect={setSelected} />
      <RolloutLegend />
      <div className={styles.charts}>
        <RewardHistogram bins={rewardHistogram(report.tasks)} label="Rewards, every task" />
        {selectedTask ? <RewardHistogram bins={rewardHistogram([selectedTask], report.tasks)} label={`Rewards, task #${selectedTask.taskIdx}`} /> : <p className="faint">Pick a task in the grid for its own histogram.</p>}
      </div>
      <h2 data-testid="tool-usage-heading">Tool usage, {selectedTask ? `task #${selectedTask.taskIdx}` : "every task"}</h2>
      <ToolUsageTable usage={selectedTask ? (toolUsage.byTask.find((entry) => entry.taskIdx === selectedTask.taskIdx)?.usage ?? []) : toolUsage.all} />
    </div>
  );
}
