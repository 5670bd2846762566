/** Pure search / filter / sort of the library's summary list; the page runs it in useMemo. */
import type { EnvironmentSummary } from "@/lib/store/environments";

export type HealthFilter = "all" | EnvironmentSummary["health"];
export type SortKey = "name" | "taskCount" | "tableCount" | "seedRows" | "seedFailures" | "toolCount" | "verifierCount" | "health";
export type SortDirection = "asc" | "desc";
export interface SortState {
  key: SortKey;
  direction: SortDirection;
}

export const HEALTH_FILTERS: HealthFilter[] = ["all", "ok", "warnings", "errors"];

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

export function countByHealth(envs: readonly EnvironmentSummary[]): Record<HealthFilter, number> {
  const counts: Record<HealthFilter, number> = { all: envs.length, ok: 0, warnings: 0, errors: 0 };
  for (const env of envs) counts[env.health] += 1;
  return counts;
}

export function filterAndSort(envs: readonly EnvironmentSummary[], health: HealthFilter, sort: SortState): EnvironmentSummary[] {
  const kept = health === "all" ? [...envs] : envs.filter((env) => env.health === health);
  const sign = sort.direction === "asc" ? 1 : -1;
  return kept.sort((a, b) => sign * compare(a, b, sort.key));
}

/** Clicking the sorted column flips its direction; a new column starts ascending for names, descending for numbers. */
export function nextSort(current: SortState, key: SortKey): SortState {
  if (current.key === key) return { key, direction: current.direction === "asc" ? "desc" : "asc" };
  return { key, direction: key === "name" ? "asc" : "desc" };
}
