"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { EnvironmentSummary } from "@/lib/store/environments";
import { envKeys } from "@/lib/query-keys";
import { CountChip } from "@/components/ui/count-chip";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorBox } from "@/components/ui/error-box";
import { fetchJson } from "@/components/ui/fetch-json";
import { LibraryTable } from "./library-table";
import {
  DEFAULT_LIBRARY_VIEW,
  HEALTH_FILTERS,
  TASK_FILTERS,
  countByHealth,
  filterAndSort,
  libraryViewQuery,
  matchesTaskFilter,
  nextSort,
  noMatchMessage,
  searchEnvironments,
  type HealthFilter,
  type LibraryViewState,
  type TaskFilter,
  type TaskStatusCounts,
} from "./library-view";

const FILTER_LABELS: Record<HealthFilter, string> = { all: "All", ok: "OK", warnings: "Warnings", errors: "Errors" };

/** `initial` comes from the URL (app/page.tsx); every change is written back to it, so reload and share keep the view. */
export function LibraryPage({ initial = DEFAULT_LIBRARY_VIEW }: { initial?: LibraryViewState }) {
  const list = useQuery({ queryKey: envKeys.list(), queryFn: () => fetchJson<EnvironmentSummary[]>("/api/environments") });
  const [view, setView] = useState(initial);
  const { search, health, tasks, sort } = view;
  // Task statuses weigh every run of the library: loaded only when the task filter is on.
  const statusCounts = useQuery({ queryKey: envKeys.taskStatusCounts(), queryFn: () => fetchJson<TaskStatusCounts>("/api/task-status"), enabled: tasks !== "any" });
  const update = (change: Partial<LibraryViewState>) => setView((current) => ({ ...current, ...change }));
  useEffect(() => {
    const url = `${window.location.pathname}${libraryViewQuery(view)}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(window.history.state, "", url);
  }, [view]);

  const all = list.data;
  const counts = statusCounts.data;
  const searched = useMemo(() => {
    const found = searchEnvironments(all ?? [], search);
    return counts ? found.filter((env) => matchesTaskFilter(env, tasks, counts)) : found;
  }, [all, search, tasks, counts]);
  const healthCounts = useMemo(() => countByHealth(searched), [searched]);
  const rows = useMemo(() => filterAndSort(searched, health, sort), [searched, health, sort]);

  // The benchmark measures the time until the first rows are on screen.
  const hasRows = rows.length > 0;
  useEffect(() => {
    if (!hasRows) return;
    document.body.dataset.libraryReady = "true";
    return () => {
      delete document.body.dataset.libraryReady;
    };
  }, [hasRows]);

  return (
    <div className="page page--fill">
      <div className="library">
        <div className="page__header">
          <div>
            <h1>Library</h1>
            <div className="page__subtitle">Every environment in the studio, with what its import found.</div>
          </div>
          <Link href="/import" className="button">
            Import folder…
          </Link>
        </div>

        <div className="library__toolbar">
          <input
            className="input library__search"
            type="search"
            placeholder="Search name or scenario…"
            value={search}
            onChange={(event) => update({ search: event.target.value })}
            data-testid="library-search"
            aria-label="Search environments"
          />
          <div className="segmented" role="radiogroup" aria-label="Filter by health">
            {HEALTH_FILTERS.map((filter) => (
              <button
                key={filter}
                type="button"
                role="radio"
                aria-checked={health === filter}
                className={`segmented__item${health === filter ? " segmented__item--active" : ""}`}
                onClick={() => update({ health: filter })}
                data-testid={`health-filter-${filter}`}
              >
                {FILTER_LABELS[filter]}
                <CountChip count={healthCounts[filter]} />
              </button>
            ))}
          </div>
          <select
            className="input"
            value={tasks}
            onChange={(event) => update({ tasks: event.target.value as TaskFilter })}
            aria-label="Filter by task status"
            data-testid="task-status-filter"
          >
            {TASK_FILTERS.map((filter) => (
              <option key={filter} value={filter}>
                {filter === "any" ? "Any tasks" : `Has ${filter} tasks`}
              </option>
            ))}
          </select>
          {statusCounts.isFetching && <span className="faint">Weighing task statuses…</span>}
          {statusCounts.isError && <span className="faint">Task statuses could not load: {statusCounts.error.message}</span>}
          <div className="library__total" data-testid="library-total">
            {all ? (rows.length === all.length ? `${all.length.toLocaleString("en-US")} environments` : `${rows.length.toLocaleString("en-US")} of ${all.length.toLocaleString("en-US")} environments`) : ""}
          </div>
        </div>

        {list.isError ? (
          <ErrorBox title="Could not load the library" error={list.error} />
        ) : list.isPending ? (
          <div className="faint">Loading environments…</div>
        ) : all && all.length === 0 ? (
          <EmptyState title="No environments yet" testId="library-empty">
            <Link href="/import">Import a folder of AWM files</Link> to fill the library.
          </EmptyState>
        ) : rows.length === 0 ? (
          <EmptyState title={noMatchMessage(search, health)} testId="library-no-match">
            <button type="button" className="button" onClick={() => setView({ ...view, search: "", health: "all", tasks: "any" })} data-testid="library-clear">
              Show all {all?.length.toLocaleString("en-US")} environments
            </button>
          </EmptyState>
        ) : (
          <LibraryTable rows={rows} sort={sort} viewKey={`${search}|${health}|${tasks}`} onSort={(key) => update({ sort: nextSort(sort, key) })} />
        )}
      </div>
    </div>
  );
}
