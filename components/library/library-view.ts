/** Pure search / filter / sort of the library's summary list (the page runs it in useMemo), and its URL form. */
import { TASK_STATUSES, type TaskStatus } from "@/lib/curation/status-rules";
import type { EnvironmentSummary } from "@/lib/store/environments";
import { hasIssueKind, ISSUE_KINDS, type IssueKind } from "@/lib/store/issue-kinds";

export type HealthFilter = "all" | EnvironmentSummary["health"];
export type SortKey = "name" | "taskCount" | "tableCount" | "seedRows" | "seedFailures" | "toolCount" | "verifierCount" | "health";
export type SortDirection = "asc" | "desc";
export interface SortState {
  key: SortKey;
  direction: SortDirection;
}

export const HEALTH_FILTERS: HealthFilter[] = ["all", "ok", "warnings", "errors"];

/** Environments with at least one task of this status ("any": no task filter). */
export type TaskFilter = "any" | TaskStatus;
export const TASK_FILTERS: TaskFilter[] = ["any", ...TASK_STATUSES];
export type TaskStatusCounts = Record<string, Partial<Record<TaskStatus, number>>>;

export function matchesTaskFilter(env: EnvironmentSummary, filter: TaskFilter, counts: TaskStatusCounts): boolean {
  return filter === "any" || (counts[env.name]?.[filter] ?? 0) > 0;
}

/** Environments with this kind of trouble ("any": no kind filter). */
export type IssueKindFilter = "any" | IssueKind;
export const ISSUE_KIND_FILTERS: IssueKindFilter[] = ["any", ...ISSUE_KINDS];
export const ISSUE_KIND_LABELS: Record<IssueKindFilter, string> = {
  any: "Any issue kind",
  "failing-inserts": "Failing inserts",
  "cut-off-tables": "Cut-off or failed tables",
  "shadowed-routes": "Shadowed routes",
  "suspicious-verifiers": "Suspicious verifiers",
  "unsolvable-tasks": "Unsolvable tasks",
};

/** Validation kinds come with the summary; "unsolvable-tasks" is read from the task status counts. */
export function matchesIssueKind(env: EnvironmentSummary, kind: IssueKindFilter, counts: TaskStatusCounts): boolean {
  return kind === "any" || hasIssueKind(env, kind, counts[env.name]?.unsolvable ?? 0);
}

/** Whether the view needs the task status counts (they weigh every run, so they load only then). */
export function needsTaskStatuses(view: Pick<LibraryViewState, "tasks" | "kind">): boolean {
  return view.tasks !== "any" || view.kind === "unsolvable-tasks";
}

/**
 * Search, the exclusion toggle, and the task and issue-kind filters (those two only once the counts
 * they need have loaded); health and sort come after, so the health chips count this set.
 */
export function narrowEnvironments(
  envs: readonly EnvironmentSummary[],
  view: Pick<LibraryViewState, "search" | "tasks" | "kind" | "showExcluded">,
  counts: TaskStatusCounts | undefined,
): EnvironmentSummary[] {
  const byStatus = (env: EnvironmentSummary) =>
    counts ? matchesTaskFilter(env, view.tasks, counts) && matchesIssueKind(env, view.kind, counts) : view.kind === "unsolvable-tasks" || matchesIssueKind(env, view.kind, {});
  return searchEnvironments(envs, view.search).filter((env) => (view.showExcluded || !env.excluded) && byStatus(env));
}

export function matchesSearch(env: EnvironmentSummary, needle: string): boolean {
  if (needle === "") return true;
  return env.name.toLowerCase().includes(needle) || env.scenario.toLowerCase().includes(needle);
}

/** Errors first when sorted descending: health rank, then the number of findings. */
function healthScore(env: EnvironmentSummary): number {
  const rank = env.health === "errors" ? 2 : env.health === "warnings" ? 1 : 0;
  return rank * 1e9 + env.errorCount * 1e4 + env.warningCount;
}

function compare(a: EnvironmentSummary, b: EnvironmentSummary, key: SortKey): number {
  if (key === "name") return a.scenario.localeCompare(b.scenario, "en", { sensitivity: "base" }) || a.name.localeCompare(b.name);
  if (key === "health") return healthScore(a) - healthScore(b);
  return a[key] - b[key] || a.name.localeCompare(b.name);
}

export function searchEnvironments(envs: readonly EnvironmentSummary[], search: string): EnvironmentSummary[] {
  const needle = search.trim().toLowerCase();
  return envs.filter((env) => matchesSearch(env, needle));
}

/**
 * Whether `env` belongs under a filter: "warnings" and "errors" keep every environment that has
 * any (one with both is under both, as its badge shows both); "ok" keeps those with neither.
 */
export function matchesHealth(env: EnvironmentSummary, health: HealthFilter): boolean {
  switch (health) {
    case "all":
      return true;
    case "ok":
      return env.errorCount === 0 && env.warningCount === 0;
    case "warnings":
      return env.warningCount > 0;
    case "errors":
      return env.errorCount > 0;
  }
}

export function countByHealth(envs: readonly EnvironmentSummary[]): Record<HealthFilter, number> {
  const counts = Object.fromEntries(HEALTH_FILTERS.map((filter) => [filter, 0])) as Record<HealthFilter, number>;
  for (const env of envs) for (const filter of HEALTH_FILTERS) if (matchesHealth(env, filter)) counts[filter] += 1;
  return counts;
}

export function filterAndSort(envs: readonly EnvironmentSummary[], health: HealthFilter, sort: SortState): EnvironmentSummary[] {
  const kept = envs.filter((env) => matchesHealth(env, health));
  const sign = sort.direction === "asc" ? 1 : -1;
  return kept.sort((a, b) => sign * compare(a, b, sort.key));
}

/** Clicking the sorted column flips its direction; a new column starts ascending for names, descending for numbers. */
export function nextSort(current: SortState, key: SortKey): SortState {
  if (current.key === key) return { key, direction: current.direction === "asc" ? "desc" : "asc" };
  return { key, direction: key === "name" ? "asc" : "desc" };
}

/** What the library shows: search, health, task and issue-kind filters, excluded or not, and sort. It lives in the URL, so reload and share keep it. */
export interface LibraryViewState {
  search: string;
  health: HealthFilter;
  tasks: TaskFilter;
  kind: IssueKindFilter;
  showExcluded: boolean;
  sort: SortState;
}

export const DEFAULT_LIBRARY_VIEW: LibraryViewState = { search: "", health: "all", tasks: "any", kind: "any", showExcluded: false, sort: { key: "name", direction: "asc" } };

const SORT_KEYS: SortKey[] = ["name", "taskCount", "tableCount", "seedRows", "seedFailures", "toolCount", "verifierCount", "health"];

/** `?q=&health=&tasks=&kind=&excluded=1&sort=&dir=`; anything missing or unknown falls back to the default. */
export function libraryViewFromQuery(query: Record<string, string | string[] | undefined>): LibraryViewState {
  const one = (key: string) => {
    const value = query[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const health = HEALTH_FILTERS.find((filter) => filter === one("health")) ?? DEFAULT_LIBRARY_VIEW.health;
  const tasks = TASK_FILTERS.find((filter) => filter === one("tasks")) ?? DEFAULT_LIBRARY_VIEW.tasks;
  const kind = ISSUE_KIND_FILTERS.find((filter) => filter === one("kind")) ?? DEFAULT_LIBRARY_VIEW.kind;
  const key = SORT_KEYS.find((candidate) => candidate === one("sort"));
  const direction = one("dir") === "asc" || one("dir") === "desc" ? (one("dir") as SortDirection) : undefined;
  const sort = key ? { key, direction: direction ?? nextSort(DEFAULT_LIBRARY_VIEW.sort, key).direction } : DEFAULT_LIBRARY_VIEW.sort;
  return { search: one("q") ?? "", health, tasks, kind, showExcluded: one("excluded") === "1", sort };
}

/** The query string for a view ("" for the default view); the inverse of libraryViewFromQuery. */
export function libraryViewQuery(view: LibraryViewState): string {
  const params = new URLSearchParams();
  if (view.search !== "") params.set("q", view.search);
  if (view.health !== DEFAULT_LIBRARY_VIEW.health) params.set("health", view.health);
  if (view.tasks !== DEFAULT_LIBRARY_VIEW.tasks) params.set("tasks", view.tasks);
  if (view.kind !== DEFAULT_LIBRARY_VIEW.kind) params.set("kind", view.kind);
  if (view.showExcluded) params.set("excluded", "1");
  if (view.sort.key !== DEFAULT_LIBRARY_VIEW.sort.key || view.sort.direction !== DEFAULT_LIBRARY_VIEW.sort.direction) {
    params.set("sort", view.sort.key);
    params.set("dir", view.sort.direction);
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

const HEALTH_PHRASES: Record<Exclude<HealthFilter, "all">, string> = { ok: "without issues", warnings: "with warnings", errors: "with errors" };

/** The empty state under a search and filter that keep nothing, as a sentence. */
export function noMatchMessage(search: string, health: HealthFilter): string {
  const needle = search.trim();
  const phrase = health === "all" ? "" : ` ${HEALTH_PHRASES[health]}`;
  if (needle === "") return `No environment${phrase}.`;
  return `No environment${phrase} matches “${needle}”.`;
}
