"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type CSSProperties } from "react";
import { FORMAT_ERROR, verdictLabel } from "@/lib/awm/verdict";
import type { EnvironmentSummary } from "@/lib/store/environments";
import type { TrajectorySummary } from "@/lib/trajectories/store";
import { sameTaskOf, taskLabel } from "@/lib/trajectories/task-text";
import { envKeys } from "@/components/query-keys";
import { CountChip } from "@/components/ui/count-chip";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorBox } from "@/components/ui/error-box";
import { fetchJson } from "@/components/ui/fetch-json";
import grid from "@/components/ui/grid-table.module.css";
import { VirtualRows } from "@/components/ui/virtual-rows";
import { Badge } from "@/components/ui/badge";
import { ImportRunForm } from "./import-run-form";
import { AgentEndBadge, formatReward, JudgeErrorBadge, ReplayBadge, VerdictBadge } from "./trajectory-badges";
import styles from "./trajectory.module.css";
import { useTrajectoryList } from "./use-trajectories";
import { formatWhen } from "@/components/ui/date-time";
import { useUrlFilters } from "@/components/ui/use-url-filters";

type SortKey = "createdAt" | "reward" | "steps";

const EMPTY_FILTERS = { environment: "", taskIdx: "", source: "", model: "", verdict: "", minReward: "", maxReward: "", diverged: "", tag: "" };
const VERDICTS = ["complete", "incomplete", "agent_error", "server_error", "others", FORMAT_ERROR, "judge_error", "none"];
const ROW_HEIGHT = 64;

type Filters = typeof EMPTY_FILTERS;

export function TrajectoryListPage() {
  const [filters, setFilters] = useUrlFilters(EMPTY_FILTERS);
  const [sort, setSort] = useState<{ key: SortKey; dir: "asc" | "desc" }>({ key: "createdAt", dir: "desc" });
  const list = useTrajectoryList({ ...filters, sort: sort.key, dir: sort.dir });
  const environments = useQuery({ queryKey: envKeys.list(), queryFn: () => fetchJson<EnvironmentSummary[]>("/api/environments") });
  const set = (key: keyof Filters) => (event: { target: { value: string } }) => setFilters({ ...filters, [key]: event.target.value });
  const filtered = JSON.stringify(filters) !== JSON.stringify(EMPTY_FILTERS);
  const sortBy = (key: SortKey) => setSort((current) => ({ key, dir: current.key === key && current.dir === "desc" ? "asc" : "desc" }));
  const rows = list.data?.trajectories ?? [];
  const arrow = (key: SortKey) => (sort.key === key ? (sort.dir === "asc" ? " ↑" : " ↓") : "");

  return (
    <div className="page page--fill" data-testid="trajectories-page">
      <div className="page__header">
        <div>
          <h1>
            Trajectories <CountChip count={rows.length} />
          </h1>
          <div className="page__subtitle">Every run in the library: imported from AWM folders, played by a person or an outside agent (playtests and episodes), or by the studio&apos;s agent.</div>
        </div>
      </div>
      <ImportRunForm />
      <div className={styles.filters} data-testid="trajectory-filters">
        <select className="input" value={filters.environment} onChange={set("environment")} data-testid="filter-environment">
          <option value="">all environments</option>
          {environments.data?.map((env) => (
            <option key={env.name} value={env.name}>
              {env.name}
            </option>
          ))}
        </select>
        <input className={`input ${styles.narrow}`} type="number" min={0} placeholder="task #" value={filters.taskIdx} onChange={set("taskIdx")} data-testid="filter-task" />
        <select className="input" value={filters.source} onChange={set("source")} data-testid="filter-source">
          <option value="">any source</option>
          <option value="import">import</option>
          <option value="playtest">playtest</option>
          <option value="episode">episode (outside agent)</option>
          <option value="agent">agent</option>
        </select>
        <input className="input" placeholder="model contains" value={filters.model} onChange={set("model")} data-testid="filter-model" />
        <select className="input" value={filters.verdict} onChange={set("verdict")} data-testid="filter-verdict">
          <option value="">any verdict</option>
          {VERDICTS.map((verdict) => (
            <option key={verdict} value={verdict}>
              {verdict === "none" ? "not judged" : verdictLabel(verdict)}
            </option>
          ))}
        </select>
        <input className={`input ${styles.narrow}`} type="number" step="0.1" placeholder="reward ≥" value={filters.minReward} onChange={set("minReward")} />
        <input className={`input ${styles.narrow}`} type="number" step="0.1" placeholder="reward ≤" value={filters.maxReward} onChange={set("maxReward")} />
        <select className="input" value={filters.diverged} onChange={set("diverged")} data-testid="filter-diverged">
          <option value="">any replay</option>
          <option value="true">diverged</option>
          <option value="false">not diverged</option>
        </select>
        <input className="input" placeholder="tag" value={filters.tag} onChange={set("tag")} data-testid="filter-tag" />
        {filtered && (
          <button className="button" onClick={() => setFilters(EMPTY_FILTERS)}>
            Clear
          </button>
        )}
      </div>
      {list.error && <ErrorBox title="Could not list trajectories" error={list.error} />}
      {list.isSuccess && rows.length === 0 ? (
        filtered ? (
          <EmptyState title="No trajectories match these filters" testId="trajectories-empty">
            <button className="button" onClick={() => setFilters(EMPTY_FILTERS)}>
              Clear the filters
            </button>
          </EmptyState>
        ) : (
          <EmptyState title="No trajectories" testId="trajectories-empty">
            Import an AWM run folder above, playtest an environment, or run an agent on a task.
          </EmptyState>
        )
      ) : (
        <div className={styles.list} role="table" data-testid="trajectory-table">
          <div className={grid.head} role="row">
            <div className={grid.th}>Environment / task</div>
            <div className={grid.th}>Source</div>
            <div className={grid.th}>Model</div>
            <div className={grid.th}>Verdict</div>
            <button className={`${grid.th} ${grid.thNum}`} onClick={() => sortBy("reward")}>
              Reward{arrow("reward")}
            </button>
            <div className={grid.th}>Replay</div>
            <button className={`${grid.th} ${grid.thNum}`} onClick={() => sortBy("steps")}>
              Steps{arrow("steps")}
            </button>
            <div className={grid.th}>Compare</div>
            <button className={grid.th} onClick={() => sortBy("createdAt")}>
              Created{arrow("createdAt")}
            </button>
          </div>
          <VirtualRows
            className={grid.body}
            items={rows}
            rowHeight={ROW_HEIGHT}
            resetKey={JSON.stringify([filters, sort])}
            renderRow={(row, _index, style) => <TrajectoryRow key={row.id} row={row} rows={rows} style={style} />}
          />
        </div>
      )}
    </div>
  );
}

function TrajectoryRow({ row, rows, style }: { row: TrajectorySummary; rows: TrajectorySummary[]; style: CSSProperties }) {
  const sibling = rows.find((other) => other.id !== row.id && other.environmentName === row.environmentName && sameTaskOf(other, row));
  return (
    <div className={grid.row} style={style} role="row" data-testid="trajectory-row" data-id={row.id}>
      <div className={`${grid.cell} ${styles.twoLines}`} title={row.task}>
        <Link href={`/trajectories/${row.id}`} className={styles.oneLine} data-testid="trajectory-link">
          <span>{row.environmentName}</span>
          <span>· {taskLabel(row.taskIdx)}</span>
        </Link>
        <span className={`faint ${styles.wrapTwo}`} data-testid="trajectory-task-text">
          {row.task}
        </span>
      </div>
      <div className={grid.cell}>{row.source}</div>
      <div className={`${grid.cell} mono ${styles.wrapTwo}`} title={row.model} data-testid="trajectory-model">
        {row.model || "—"}
      </div>
      <div className={grid.cell}>
        <VerdictBadge classification={row.verdictClass} /> <JudgeErrorBadge trajectory={row} /> <AgentEndBadge trajectory={row} />
        {row.tags.map((tag) => (
          <Badge key={tag} tone="info" testId="trajectory-tag">
            {tag}
          </Badge>
        ))}
      </div>
      <div className={`${grid.cell} ${grid.cellNum}`}>{formatReward(row.reward, row.verdictClass)}</div>
      <div className={grid.cell}>
        <ReplayBadge status={row.replayStatus} />
      </div>
      <div className={`${grid.cell} ${grid.cellNum}`}>{row.stepCount}</div>
      <div className={grid.cell}>{sibling ? <Link href={`/trajectories/compare?a=${row.id}&b=${sibling.id}`}>compare</Link> : <span className="faint">—</span>}</div>
      <div className={`${grid.cell} ${styles.created} faint num`} title={formatWhen(row.createdAt, { seconds: true })} data-testid="trajectory-created">
        {formatWhen(row.createdAt)}
      </div>
    </div>
  );
}

