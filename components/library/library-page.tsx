"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { EnvironmentSummary } from "@/lib/store/environments";
import { envKeys } from "@/components/query-keys";
import { CountChip } from "@/components/ui/count-chip";
import { EmptyState } from "@/components/ui/empty-state";
import { OptionSelect } from "@/components/ui/option-select";
import { ErrorBox } from "@/components/ui/error-box";
import { fetchJson } from "@/components/ui/fetch-json";
import { hiddenCount, toggleName, toggleShown } from "./library-selection";
import { LibraryTable } from "./library-table";
import styles from "./library.module.css";
import {
  DEFAULT_LIBRARY_VIEW,
  HEALTH_FILTERS,
  ISSUE_KIND_FILTERS,
  ISSUE_KIND_LABELS,
  TASK_FILTERS,
  countByHealth,
  filterAndSort,
  libraryViewQuery,
  narrowEnvironments,
  needsTaskStatuses,
  nextSort,
  noMatchMessage,
  type HealthFilter,
  type LibraryViewState,
  type TaskFilter,
  type TaskStatusCounts,
} from "./library-view";
import { SelectionBar } from "./selection-bar";
import { plural } from "@/lib/plural";

const FILTER_LABELS: Record<HealthFilter, string> = { all: "All", ok: "OK", warnings: "Warnings", errors: "Errors" };
const taskFilterLabel = (filter: TaskFilter) => (filter === "any" ? "Any tasks" : `Has ${filter} tasks`);

/** `initial` comes from the URL (app/page.tsx); every change is written back to it, so reload and share keep the view. */
export function LibraryPage({ initial = DEFAULT_LIBRARY_VIEW }: { initial?: LibraryViewState }) {
  const list = useQuery({ queryKey: envKeys.list(), queryFn: () => fetchJson<EnvironmentSummary[]>("/api/environments") });
  const [view, setView] = useState(initial);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const { search, health, tasks, kind, showExcluded, sort } = view;
  // Task statuses weigh every run of the library: loaded only when a filter needs them.
  const statusCounts = useQuery({ queryKey: envKeys.taskStatusCounts(), queryFn: () => fetchJson<TaskStatusCounts>("/api/task-status"), enabled: needsTaskStatuses(view) });
  const update = (change: Partial<LibraryViewState>) => setView((current) => ({ ...current, ...change }));
  useEffect(() => {
    const url = `${window.location.pathname}${libraryViewQuery(view)}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(window.history.state, "", url);
  }, [view]);

  const all = list.data;
  const counts = statusCounts.data;
  const searched = useMemo(() => narrowEnvironments(all ?? [], { search, tasks, kind, showExcluded }, counts), [all, search, tasks, kind, showExcluded, counts]);
  const healthCounts = useMemo(() => countByHealth(searched), [searched]);
  const rows = useMemo(() => filterAndSort(searched, health, sort), [searched, health, sort]);
  const shown = useMemo(() => rows.map((env) => env.name), [rows]);
  const excludedCount = useMemo(() => (all ?? []).filter((env) => env.excluded).length, [all]);
  const shownSelected = shown.filter((name) => selected.has(name)).length;

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
      <div className={styles.library}>
        <div className="page__header">
          <div>
            <h1>Library</h1>
            <div className="page__subtitle">Every environment in the studio, with what its import found.</div>
          </div>
          <Link href="/import" className="button">
            Import folder…
          </Link>
        </div>

        <div className={styles.toolbar}>
          <input
            className={`input ${styles.search}`}
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
          <OptionSelect value={tasks} options={TASK_FILTERS} label={taskFilterLabel} onChange={(value) => update({ tasks: value })} ariaLabel="Filter by task status" testId="task-status-filter" />
          <OptionSelect value={kind} options={ISSUE_KIND_FILTERS} label={(value) => ISSUE_KIND_LABELS[value]} onChange={(value) => update({ kind: value })} ariaLabel="Filter by issue kind" testId="issue-kind-filter" />
          <label className="faint">
            <input type="checkbox" checked={showExcluded} onChange={(event) => update({ showExcluded: event.target.checked })} data-testid="show-excluded" /> Show excluded (
            {excludedCount.toLocaleString("en-US")})
          </label>
          {rows.length > 0 && (
            <button type="button" className="button" onClick={() => setSelected(toggleShown(selected, shown))} data-testid="select-shown">
              {shownSelected === shown.length ? `Unselect all ${shown.length.toLocaleString("en-US")} shown` : `Select all ${shown.length.toLocaleString("en-US")} shown`}
            </button>
          )}
          {statusCounts.isFetching && <span className="faint">Weighing task statuses…</span>}
          {statusCounts.isError && <span className="faint">Task statuses could not load: {statusCounts.error.message}</span>}
          <div className={styles.total} data-testid="library-total">
            {all ? (rows.length === all.length ? plural(all.length, "environment") : `${rows.length.toLocaleString("en-US")} of ${plural(all.length, "environment")}`) : ""}
          </div>
        </div>

        {selected.size > 0 && <SelectionBar names={[...selected].sort()} hidden={hiddenCount(selected, shown)} onClear={() => setSelected(new Set())} />}

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
            <button type="button" className="button" onClick={() => setView({ ...DEFAULT_LIBRARY_VIEW, sort, showExcluded: (all ?? []).some((env) => env.excluded) })} data-testid="library-clear">
              Show all {all?.length.toLocaleString("en-US")} environments
            </button>
          </EmptyState>
        ) : (
          <LibraryTable
            rows={rows}
            sort={sort}
            viewKey={`${search}|${health}|${tasks}|${kind}|${showExcluded}`}
            onSort={(key) => update({ sort: nextSort(sort, key) })}
            selection={{
              selected,
              onToggle: (name) => setSelected(toggleName(selected, name)),
              shownState: shownSelected === 0 ? "none" : shownSelected === shown.length ? "all" : "some",
              onToggleShown: () => setSelected(toggleShown(selected, shown)),
            }}
          />
        )}
      </div>
    </div>
  );
}
