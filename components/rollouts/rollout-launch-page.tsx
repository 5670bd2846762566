"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { z } from "zod";
import { AgentModel } from "@/components/agent-run/agent-model";
import { AgentSettingsForm, useWebAgentSettings } from "@/components/agent-run/agent-settings-form";
import { useLlmReadiness } from "@/components/settings/use-llm-settings";
import { useRememberedState } from "@/components/ui/use-remembered-state";
import { useEnvironmentDetail } from "@/components/environment/environment-page";
import { TaskStatusBadge, useTaskStatuses } from "@/components/environment/task-status";
import { ErrorBox } from "@/components/ui/error-box";
import { FieldProblems, NumberField, useFieldProblems } from "@/components/ui/number-field";
import { fetchJson } from "@/components/ui/fetch-json";
import { MAX_CONCURRENCY, MAX_GROUP } from "@/lib/agent/rollout-limits";
import type { TaskStatus } from "@/lib/curation/status-rules";
import type { JobStarted } from "@/lib/pipeline/job-runner";
import { plural } from "@/lib/plural";
import styles from "./rollouts.module.css";

const DEFAULT_GROUP = 4;
/** Statuses whose tasks are not picked unless someone checks them: their rewards would teach nothing. */
const LEFT_OUT: ReadonlySet<TaskStatus> = new Set(["unsolvable", "reward-hackable"]);
const DEFAULT_CONCURRENCY = 2;
/** A group size and concurrency as this browser last launched them, within the route's bounds. */
const ROLLOUT_SIZE = z.object({ group: z.number().int().min(1).max(MAX_GROUP), concurrency: z.number().int().min(1).max(MAX_CONCURRENCY) });

/** "Rollouts" on an environment: pick tasks, group size and settings, launch a rollout job, then open its results. */
export function RolloutLaunchPage({ environment }: { environment: string }) {
  const env = useEnvironmentDetail(environment);
  const router = useRouter();
  const statuses = useTaskStatuses(environment);
  // Until someone picks, the tasks known to teach nothing whatever the agent does are left out.
  const [picks, setPicks] = useState<ReadonlySet<number> | null>(null);
  const statusOf = new Map((statuses.data?.tasks ?? []).map((entry) => [entry.taskIdx, entry]));
  const excluded = picks ?? new Set([...statusOf.values()].filter((entry) => LEFT_OUT.has(entry.status)).map((entry) => entry.taskIdx));
  const [size, setSize] = useRememberedState("awm-studio.rollout-size", { group: DEFAULT_GROUP, concurrency: DEFAULT_CONCURRENCY }, ROLLOUT_SIZE);
  const { group, concurrency } = size;
  const [settings, setSettings] = useWebAgentSettings();
  const agent = useLlmReadiness("agent");
  const { problems, report } = useFieldProblems();
  const tasks = env.data?.tasks ?? [];
  const picked = tasks.filter((task) => !excluded.has(task.idx)).map((task) => task.idx);
  const teachNothing = picked.flatMap((idx) => {
    const known = statusOf.get(idx);
    return known && LEFT_OUT.has(known.status) ? [known] : [];
  });
  const launch = useMutation({
    mutationFn: () => fetchJson<JobStarted>("/api/rollouts", { method: "POST", body: JSON.stringify({ environment, tasks: picked, group, concurrency, settings }) }),
    onSuccess: ({ jobId }) => router.push(`/rollouts/${encodeURIComponent(jobId)}`),
  });
  const toggle = (idx: number) => setPicks(excluded.has(idx) ? new Set([...excluded].filter((other) => other !== idx)) : new Set([...excluded, idx]));
  return (
    <div className="page" data-testid="rollout-launch-page">
      <div className="page__header">
        <div>
          <h1>
            Rollouts in <Link href={`/environments/${encodeURIComponent(environment)}`} className="mono">{environment}</Link>
          </h1>
          <div className="page__subtitle">The agent model plays each picked task {group} times (a GRPO group); the results show each rollout&apos;s verdict, the reward spread and the tools used.</div>
        </div>
      </div>
      {env.error && <ErrorBox title="Could not load the environment" error={env.error} />}
      <section className={styles.tasks} data-testid="rollout-tasks">
        {tasks.map((task) => {
          const known = statusOf.get(task.idx);
          return (
            <label key={task.idx} className={styles.task}>
              <input type="checkbox" checked={!excluded.has(task.idx)} onChange={() => toggle(task.idx)} />
              <span className="mono faint">#{task.idx}</span> {task.text}
              {known && known.status !== "unverified" && (
                <span title={known.reason}>
                  <TaskStatusBadge status={known.status} />
                </span>
              )}
            </label>
          );
        })}
      </section>
      <div className={styles.numbers}>
        <label>
          Group size
          <NumberField label="Group size" min={1} max={MAX_GROUP} value={group} onChange={(next) => setSize({ ...size, group: next ?? DEFAULT_GROUP })} onProblem={report} testId="rollout-group" />
        </label>
        <label>
          Concurrency
          <NumberField label="Concurrency" min={1} max={MAX_CONCURRENCY} value={concurrency} onChange={(next) => setSize({ ...size, concurrency: next ?? DEFAULT_CONCURRENCY })} onProblem={report} testId="rollout-concurrency" />
        </label>
      </div>
      <AgentSettingsForm value={settings} onChange={setSettings} onProblem={report} disabled={launch.isPending} />
      <div className={styles.launch}>
        <button type="button" className="button button--primary" disabled={picked.length === 0 || problems.length > 0 || launch.isPending || agent?.ready === false} onClick={() => launch.mutate()} data-testid="launch-rollouts">
          {launch.isPending ? "Starting…" : problems.length > 0 ? "Launch" : `Launch ${plural(picked.length * group, "episode")}`}
        </button>
        <AgentModel />
      </div>
      <FieldProblems problems={problems} />
      {teachNothing.length > 0 && (
        <p className="faint" data-testid="rollout-teach-nothing">
          {teachNothing.map((entry) => `#${entry.taskIdx} is ${entry.status}`).join(", ")}: whatever the agent does, such a task&apos;s rewards teach nothing.
        </p>
      )}
      {launch.error && <ErrorBox title="Could not launch the rollouts" error={launch.error} />}
    </div>
  );
}
