"use client";

import { plural } from "@/lib/plural";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { InstanceCapacity, InstanceInfo, InstanceList, QueuedInstance } from "@/lib/instances/manager";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorBox } from "@/components/ui/error-box";
import { fetchJson } from "@/components/ui/fetch-json";
import { formatAge } from "./age";
import { instanceKeys } from "@/components/query-keys";
import { McpUrl } from "./mcp-url";
import table from "@/components/ui/table.module.css";
import styles from "./instances.module.css";
import { formatWhen } from "@/components/ui/date-time";

const REFRESH_MS = 3_000;
const TONES: Record<InstanceInfo["status"], BadgeTone> = { starting: "info", running: "ok", stopped: "neutral", crashed: "error" };

function isLive(instance: InstanceInfo): boolean {
  return instance.status === "running" || instance.status === "starting";
}

/** A live episode opens on its playtest page (where its steps arrive); a finished one on its trajectory; a rollout's instance on its job. */
function EpisodeLink({ instance }: { instance: InstanceInfo }) {
  if (instance.usedBy?.kind === "rollout") {
    return (
      <Link href={`/rollouts/${encodeURIComponent(instance.usedBy.jobId)}`} className={`mono ${styles.clip}`} data-testid="instance-rollout">
        rollout job {instance.usedBy.jobId}
      </Link>
    );
  }
  if (instance.usedBy?.kind === "agent-run") return <span>an agent run</span>;
  if (!instance.episode) return <span className="faint">none</span>;
  const href = isLive(instance) ? `/playtest/${encodeURIComponent(instance.episode)}?instance=${encodeURIComponent(instance.id)}` : `/trajectories/${encodeURIComponent(instance.episode)}`;
  return (
    <Link href={href} className={`mono ${styles.clip}`} title={instance.episode} data-testid="instance-episode">
      {instance.episode}
    </Link>
  );
}

function InstanceRow({ instance, now }: { instance: InstanceInfo; now: number }) {
  const client = useQueryClient();
  const stop = useMutation({
    mutationFn: () => fetchJson<InstanceInfo>(`/api/instances/${encodeURIComponent(instance.id)}`, { method: "DELETE" }),
    onSettled: () => client.invalidateQueries({ queryKey: instanceKeys.all }),
  });
  const live = isLive(instance);
  // Stopping an instance a rollout or an agent run plays on ends its episode as an infrastructure failure: asked twice.
  const [confirming, setConfirming] = useState(false);
  const askFirst = instance.usedBy !== undefined && !confirming;
  return (
    <tr data-testid={`instance-${instance.id}`} data-status={instance.status}>
      <td className="mono">{instance.id}</td>
      <td>
        <Link href={`/environments/${encodeURIComponent(instance.environment)}`} className={`mono ${styles.clip}`} title={instance.environment}>
          {instance.environment}
        </Link>
      </td>
      <td>
        <Badge tone={TONES[instance.status]} dot>
          {instance.status}
        </Badge>
        {!live && instance.exitReason && <div className="faint">{instance.exitReason}</div>}
      </td>
      <td>
        <EpisodeLink instance={instance} />
      </td>
      <td className="num" title={formatWhen(instance.createdAt, { seconds: true })}>
        {formatAge(instance.createdAt, instance.endedAt ? Date.parse(instance.endedAt) : now)}
      </td>
      <td className="num">{formatAge(instance.lastActivity, now)} ago</td>
      <td className={styles.urlCell}>{live ? <McpUrl instanceId={instance.id} /> : <span className="faint">—</span>}</td>
      <td>
        {live && confirming && (
          <div className="faint" data-testid="stop-instance-question">
            Its {instance.usedBy?.kind === "rollout" ? "rollout's" : "agent run's"} episode ends as an infrastructure failure. Stop it?
          </div>
        )}
        {live && (
          <button type="button" className="button button--small" disabled={stop.isPending} onClick={() => (askFirst ? setConfirming(true) : stop.mutate())} data-testid="stop-instance">
            {stop.isPending ? "Stopping…" : confirming ? "Stop it" : "Stop"}
          </button>
        )}
        {stop.error && <ErrorBox title="Could not stop it" error={stop.error} />}
      </td>
    </tr>
  );
}

/** The cap and why it is what it is, and the starts waiting for room under it. */
function CapacityLine({ capacity, queue, now }: { capacity: InstanceCapacity; queue: QueuedInstance[]; now: number }) {
  const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
  const why = capacity.fixed
    ? "a number fixed by AWM_STUDIO_MAX_INSTANCES"
    : `${mib(capacity.budgetBytes)} of memory for episodes, ${mib(capacity.cost.bytes)} each (${capacity.cost.measuredOn > 0 ? `the mean of ${plural(capacity.cost.measuredOn, "episode")} measured lately` : "an estimate until an episode runs"})`;
  return (
    <div className={styles.capacity} data-testid="instance-capacity">
      <span>
        {capacity.live} running, room for {capacity.limit.toLocaleString("en-US")}: {why}
      </span>
      {queue.length > 0 && (
        <ol className={styles.queue} data-testid="instance-queue">
          {queue.map((entry) => (
            <li key={`${entry.position}-${entry.since}`}>
              #{entry.position} {entry.environment}, waiting {formatAge(entry.since, now)}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** Every instance the studio runs (and the last stopped ones): its MCP URL to hand to an agent, its episode, age and a stop button. */
export function InstancesPage() {
  const instances = useQuery({
    queryKey: instanceKeys.list(),
    queryFn: () => fetchJson<InstanceList>("/api/instances"),
    refetchInterval: REFRESH_MS,
  });
  const now = instances.dataUpdatedAt || Date.now();
  const sorted = [...(instances.data?.instances ?? [])].sort((a, b) => Number(isLive(b)) - Number(isLive(a)) || b.createdAt.localeCompare(a.createdAt));
  return (
    <div className="page" data-testid="instances-page">
      <div className="page__header">
        <div>
          <h1>Instances</h1>
          <div className="page__subtitle">
            The environments the studio runs, and the ones stopped lately. Give an MCP URL and its token (Copy token, sent as <code>Authorization: Bearer</code>; it opens that instance and nothing else of the studio) to any agent: on an episode&apos;s instance every call becomes a step. Start one
            from a task&apos;s Playtest button or with <code>awm-studio episode start &lt;env&gt; --task N</code>.
          </div>
        </div>
      </div>
      {instances.isError && <ErrorBox title="Could not load the instances" error={instances.error} />}
      {instances.data && <CapacityLine capacity={instances.data.capacity} queue={instances.data.queue} now={now} />}
      {instances.data?.instances.length === 0 && <EmptyState title="No instances">Playtest a task, start an episode, or run an agent: each runs an instance.</EmptyState>}
      {sorted.length > 0 && (
        <table className={`${table.table} ${table.wide} ${styles.table}`}>
          <thead>
            <tr>
              <th>Instance</th>
              <th>Environment</th>
              <th>Status</th>
              <th>Episode</th>
              <th>Age</th>
              <th>Last activity</th>
              <th>MCP URL</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sorted.map((instance) => (
              <InstanceRow key={instance.id} instance={instance} now={now} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
