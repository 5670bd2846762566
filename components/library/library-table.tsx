"use client";

import Link from "next/link";
import type { EnvironmentSummary } from "@/lib/store/environments";
import { Badge } from "@/components/ui/badge";
import { HealthBadge } from "@/components/ui/health-badge";
import { VirtualRows } from "@/components/ui/virtual-rows";
import type { SortKey, SortState } from "./library-view";

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

function NumberCell({ value, bad = false }: { value: number; bad?: boolean }) {
  const tone = value === 0 ? " grid-table__cell--zero" : bad ? " grid-table__cell--bad" : "";
  return <div className={`grid-table__cell grid-table__cell--num${tone}`}>{value.toLocaleString("en-US")}</div>;
}

function LibraryRow({ env, style }: { env: EnvironmentSummary; style: React.CSSProperties }) {
  return (
    <Link href={`/environments/${encodeURIComponent(env.name)}`} className="grid-table__row" style={style} data-testid="library-row" data-name={env.name} data-health={env.health}>
      <div className="grid-table__cell grid-table__cell--name">
        <span className="env-name__scenario">{env.scenario}</span>
        <span className="env-name__slug">{env.name}</span>
      </div>
      <NumberCell value={env.taskCount} />
      <NumberCell value={env.tableCount} />
      <NumberCell value={env.seedRows} />
      <NumberCell value={env.seedFailures} bad />
      <NumberCell value={env.toolCount} />
      <NumberCell value={env.verifierCount} />
      <div className="grid-table__cell">
        <HealthBadge health={env.health} errorCount={env.errorCount} warningCount={env.warningCount} />
        {env.importState === "stale" && (
          <span title="A re-import stopped before revalidating this environment; resume it on the Import page">
            <Badge tone="warning" testId="import-stale">
              re-import unfinished
            </Badge>
          </span>
        )}
      </div>
    </Link>
  );
}

export function LibraryTable({ rows, sort, onSort, viewKey }: { rows: readonly EnvironmentSummary[]; sort: SortState; onSort: (key: SortKey) => void; viewKey: string }) {
  return (
    <div className="grid-table" role="table" data-testid="library-table">
      <div className="grid-table__head" role="row">
        {COLUMNS.map((column) => {
          const sorted = sort.key === column.key;
          const arrow = sorted ? (sort.direction === "asc" ? "↑" : "↓") : "";
          return (
            <button
              key={column.key}
              type="button"
              role="columnheader"
              aria-sort={sorted ? (sort.direction === "asc" ? "ascending" : "descending") : "none"}
              className={`grid-table__th${column.numeric ? " grid-table__th--num" : ""}${sorted ? " grid-table__th--sorted" : ""}`}
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
        className="grid-table__body"
        testId="library-rows"
        items={rows}
        rowHeight={ROW_HEIGHT}
        resetKey={`${viewKey}|${sort.key}|${sort.direction}`}
        renderRow={(env, _index, style) => <LibraryRow key={env.id} env={env} style={style} />}
      />
    </div>
  );
}
