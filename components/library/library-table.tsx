"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { EnvironmentSummary } from "@/lib/store/environments";
import { Badge } from "@/components/ui/badge";
import envName from "@/components/ui/env-name.module.css";
import grid from "@/components/ui/grid-table.module.css";
import { HealthBadge } from "@/components/ui/health-badge";
import { VirtualRows } from "@/components/ui/virtual-rows";
import type { SortKey, SortState } from "./library-view";
import styles from "./library.module.css";

const ROW_HEIGHT = 44;

interface Column {
  key: SortKey;
  label: string;
  numeric: boolean;
}

const COLUMNS: Column[] = [
  { key: "name", label: "Environment", numeric: false },
  { key: "taskCount", label: "Tasks", numeric: true },
  { key: "tableCount", label: "Tables", numeric: true },
  { key: "seedRows", label: "Seed rows", numeric: true },
  { key: "seedFailures", label: "Seed fails", numeric: true },
  { key: "toolCount", label: "Tools", numeric: true },
  { key: "verifierCount", label: "Verifiers", numeric: true },
  { key: "health", label: "Health", numeric: false },
];

export interface RowSelection {
  selected: ReadonlySet<string>;
  onToggle: (name: string) => void;
  /** Every shown row selected, some, or none: the header checkbox's state. */
  shownState: "all" | "some" | "none";
  onToggleShown: () => void;
}

function NumberCell({ value, bad = false }: { value: number; bad?: boolean }) {
  const tone = value === 0 ? ` ${grid.cellZero}` : bad ? ` ${grid.cellBad}` : "";
  return <div className={`${grid.cell} ${grid.cellNum}${tone}`}>{value.toLocaleString("en-US")}</div>;
}

/** An excluded environment's badge (its time and note in the tooltip) and its note: in the library's rows and on its own page. */
export function ExcludedBadge({ env }: { env: EnvironmentSummary }) {
  const when = env.excludedAt ? ` on ${env.excludedAt.slice(0, 10)}` : "";
  return (
    <>
      <span title={`Excluded${when}: left out of exports unless named${env.excludedNote ? ` — ${env.excludedNote}` : ""}`}>
        <Badge testId="excluded-badge">excluded</Badge>
      </span>
      {env.excludedNote && (
        <span className={styles.note} data-testid="excluded-note">
          {env.excludedNote}
        </span>
      )}
    </>
  );
}

function LibraryRow({ env, style, checked, onToggle }: { env: EnvironmentSummary; style: React.CSSProperties; checked: boolean; onToggle: () => void }) {
  const router = useRouter();
  const href = `/environments/${encodeURIComponent(env.name)}`;
  return (
    <div
      role="row"
      className={`${grid.row}${env.excluded ? ` ${styles.rowExcluded}` : ""}`}
      style={style}
      data-testid="library-row"
      data-name={env.name}
      data-health={env.health}
      data-excluded={env.excluded}
    >
      <label className={styles.check}>
        <input type="checkbox" checked={checked} onChange={onToggle} aria-label={`Select ${env.name}`} data-testid="row-select" />
      </label>
      {/* A click anywhere on the row opens it; the name is the link a keyboard reaches (a link of display: contents takes no focus). */}
      <div className={styles.rowLink} onClick={() => router.push(href)}>
        {/* Cut names of a large library differ only in their ends: the whole name shows on hover. */}
        <div className={`${grid.cell} ${grid.cellName}`} title={`${env.scenario}\n${env.name}`}>
          {/* No prefetch: scrolling a 1,000-row library fetched every environment page that scrolled by. */}
          <Link href={href} prefetch={false} className={envName.scenario} data-testid="library-row-link">
            {env.scenario}
          </Link>
          <span className={envName.slug}>{env.name}</span>
        </div>
        <NumberCell value={env.taskCount} />
        <NumberCell value={env.tableCount} />
        <NumberCell value={env.seedRows} />
        <NumberCell value={env.seedFailures} bad />
        <NumberCell value={env.toolCount} />
        <NumberCell value={env.verifierCount} />
        <div className={`${grid.cell} ${styles.statusCell}`}>
          <HealthBadge health={env.health} errorCount={env.errorCount} warningCount={env.warningCount} />
          {env.importState === "stale" && (
            <span title="A re-import stopped before revalidating this environment; resume it on the Import page">
              <Badge tone="warning" testId="import-stale">
                re-import unfinished
              </Badge>
            </span>
          )}
          {env.excluded && <ExcludedBadge env={env} />}
        </div>
      </div>
    </div>
  );
}

export function LibraryTable({
  rows,
  sort,
  onSort,
  viewKey,
  selection,
}: {
  rows: readonly EnvironmentSummary[];
  sort: SortState;
  onSort: (key: SortKey) => void;
  viewKey: string;
  selection: RowSelection;
}) {
  return (
    <div className={styles.table} role="table" data-testid="library-table">
      <div className={grid.head} role="row">
        <label className={styles.check} role="columnheader">
          <input
            type="checkbox"
            checked={selection.shownState === "all"}
            ref={(input) => {
              if (input) input.indeterminate = selection.shownState === "some";
            }}
            onChange={selection.onToggleShown}
            aria-label={`Select all ${rows.length} shown`}
            data-testid="select-shown-checkbox"
          />
        </label>
        {COLUMNS.map((column) => {
          const sorted = sort.key === column.key;
          const arrow = sorted ? (sort.direction === "asc" ? "↑" : "↓") : "";
          return (
            <button
              key={column.key}
              type="button"
              role="columnheader"
              aria-sort={sorted ? (sort.direction === "asc" ? "ascending" : "descending") : "none"}
              className={`${grid.th}${column.numeric ? ` ${grid.thNum}` : ""}${sorted ? ` ${grid.thSorted}` : ""}`}
              onClick={() => onSort(column.key)}
              data-testid={`sort-${column.key}`}
            >
              {column.label}
              <span aria-hidden="true">{arrow}</span>
            </button>
          );
        })}
      </div>
      <VirtualRows
        className={grid.body}
        testId="library-rows"
        items={rows}
        rowHeight={ROW_HEIGHT}
        resetKey={`${viewKey}|${sort.key}|${sort.direction}`}
        renderRow={(env, _index, style) => (
          <LibraryRow key={env.id} env={env} style={style} checked={selection.selected.has(env.name)} onToggle={() => selection.onToggle(env.name)} />
        )}
      />
    </div>
  );
}
