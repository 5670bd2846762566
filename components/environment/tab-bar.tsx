import Link from "next/link";
import type { IssueLocation, ValidationIssue } from "@/lib/awm/types";
import styles from "./environment.module.css";

export type EnvironmentTab = IssueLocation["tab"];

export const ENVIRONMENT_TABS: { tab: EnvironmentTab; label: string }[] = [
  { tab: "overview", label: "Overview" },
  { tab: "tasks", label: "Tasks" },
  { tab: "schema", label: "Schema" },
  { tab: "data", label: "Data" },
  { tab: "api", label: "API" },
  { tab: "code", label: "Code" },
  { tab: "verifiers", label: "Verifiers" },
  { tab: "pipeline", label: "Pipeline" },
];

export function isEnvironmentTab(value: string | null): value is EnvironmentTab {
  return ENVIRONMENT_TABS.some((entry) => entry.tab === value);
}

/**
 * `/environments/<name>?tab=…` plus the anchors a tab understands:
 * table, statement, op (operation id), task (task index), line.
 */
export function environmentHref(name: string, location: IssueLocation): string {
  const params = new URLSearchParams({ tab: location.tab });
  if (location.table !== undefined) params.set("table", location.table);
  if (location.statement !== undefined) params.set("statement", String(location.statement));
  if (location.operationId !== undefined) params.set("op", location.operationId);
  if (location.taskIdx !== undefined) params.set("task", String(location.taskIdx));
  if (location.line !== undefined) params.set("line", String(location.line));
  return `/environments/${encodeURIComponent(name)}?${params.toString()}`;
}

/** The schema editor (Pipeline tab) opened at one table's SQL. */
export function schemaEditorHref(name: string, table: string): string {
  return `/environments/${encodeURIComponent(name)}?${new URLSearchParams({ tab: "pipeline", edit: "schema", table }).toString()}`;
}

/** Where an issue links: a schema problem with a table opens the editor at that table; the rest, the place that shows it. */
export function issueHref(name: string, issue: ValidationIssue): string {
  return issue.stage === "schema" && issue.location.table !== undefined ? schemaEditorHref(name, issue.location.table) : environmentHref(name, issue.location);
}

export function TabBar({ name, active, counts }: { name: string; active: EnvironmentTab; counts?: Partial<Record<EnvironmentTab, number>> }) {
  return (
    <nav className={styles.tabBar} aria-label="Environment sections" data-testid="tab-bar">
      {ENVIRONMENT_TABS.map(({ tab, label }) => (
        <Link
          key={tab}
          href={environmentHref(name, { tab })}
          className={`${styles.tab}${tab === active ? ` ${styles.tabActive}` : ""}`}
          aria-current={tab === active ? "page" : undefined}
          data-testid={`tab-${tab}`}
          scroll={false}
        >
          {label}
          {counts?.[tab] !== undefined && <span className="count-chip">{counts[tab]}</span>}
        </Link>
      ))}
    </nav>
  );
}
