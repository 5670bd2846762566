import assert from "node:assert/strict";
import { test } from "node:test";
import type { EnvironmentSummary } from "../../lib/store/environments.ts";
import { hiddenCount, toggleName, toggleShown } from "./library-selection.ts";
import {
  countByHealth,
  DEFAULT_LIBRARY_VIEW,
  filterAndSort,
  libraryViewFromQuery,
  libraryViewQuery,
  matchesTaskFilter,
  narrowEnvironments,
  needsTaskStatuses,
  nextSort,
  noMatchMessage,
  searchEnvironments,
  type LibraryViewState,
} from "./library-view.ts";

function env(name: string, scenario: string, over: Partial<EnvironmentSummary> = {}): EnvironmentSummary {
  return {
    id: name,
    name,
    scenario,
    taskCount: 10,
    tableCount: 5,
    seedRows: 40,
    seedFailures: 0,
    toolCount: 20,
    verifierCount: 10,
    errorCount: 0,
    warningCount: 0,
    health: "ok",
    importState: "complete",
    updatedAt: "2025-01-01T00:00:00.000Z",
    issueKinds: [],
    excluded: false,
    excludedNote: "",
    excludedAt: null,
    ...over,
  };
}

const library = [
  env("rover", "Rover", { toolCount: 31 }),
  env("gofundme", "GoFundMe", { health: "errors", errorCount: 3, seedFailures: 2 }),
  env("etsy_digital_downloads", "Etsy Digital Downloads", { health: "warnings", warningCount: 1, toolCount: 12 }),
  env("doordash_drive", "DoorDash Drive (Delivery Tracking)", { health: "errors", errorCount: 1 }),
];

test("search matches the normalized name or the scenario, case-insensitively", () => {
  assert.deepEqual(searchEnvironments(library, "  DOOR ").map((e) => e.name), ["doordash_drive"]);
  assert.deepEqual(searchEnvironments(library, "digital_down").map((e) => e.name), ["etsy_digital_downloads"]);
  assert.deepEqual(searchEnvironments(library, "(delivery").map((e) => e.name), ["doordash_drive"]);
  assert.equal(searchEnvironments(library, "").length, 4);
});

test("health counts follow what the search kept", () => {
  assert.deepEqual(countByHealth(library), { all: 4, ok: 1, warnings: 1, errors: 2 });
  assert.deepEqual(countByHealth(searchEnvironments(library, "go")), { all: 1, ok: 0, warnings: 0, errors: 1 });
});

test("filter keeps one health class and sorts by the chosen column", () => {
  const errors = filterAndSort(library, "errors", { key: "health", direction: "desc" });
  assert.deepEqual(errors.map((e) => e.name), ["gofundme", "doordash_drive"]);
  const byTools = filterAndSort(library, "all", { key: "toolCount", direction: "desc" });
  assert.deepEqual(byTools.map((e) => e.toolCount), [31, 20, 20, 12]);
  const byName = filterAndSort(library, "all", { key: "name", direction: "asc" });
  assert.deepEqual(byName.map((e) => e.scenario), ["DoorDash Drive (Delivery Tracking)", "Etsy Digital Downloads", "GoFundMe", "Rover"]);
});

test("clicking the sorted header toggles its direction; a new numeric column starts descending", () => {
  assert.deepEqual(nextSort({ key: "name", direction: "asc" }, "name"), { key: "name", direction: "desc" });
  assert.deepEqual(nextSort({ key: "name", direction: "asc" }, "seedRows"), { key: "seedRows", direction: "desc" });
});

test("an environment with errors and warnings counts under both filters, as its badge shows both", () => {
  const both = [...library, env("bikes", "Bike Repair", { health: "errors", errorCount: 7, warningCount: 2 })];
  assert.deepEqual(countByHealth(both), { all: 5, ok: 1, warnings: 2, errors: 3 });
  assert.deepEqual(filterAndSort(both, "warnings", { key: "name", direction: "asc" }).map((e) => e.name), ["bikes", "etsy_digital_downloads"]);
});

test("the task filter keeps environments with at least one task of that status", () => {
  const counts = { gofundme: { curated: 2, unsolvable: 1 }, doordash_drive: { unverified: 3 } };
  const kept = (filter: Parameters<typeof matchesTaskFilter>[1]) => library.filter((e) => matchesTaskFilter(e, filter, counts)).map((e) => e.name);
  assert.deepEqual(kept("unsolvable"), ["gofundme"]);
  assert.deepEqual(kept("unverified"), ["doordash_drive"]);
  assert.deepEqual(kept("too-easy"), []);
  assert.equal(kept("any").length, library.length);
});

test("the view round-trips through the URL; the default view is a bare URL", () => {
  const view: LibraryViewState = {
    search: "bike repair",
    health: "warnings",
    tasks: "unsolvable",
    kind: "shadowed-routes",
    showExcluded: true,
    sort: { key: "toolCount", direction: "asc" },
  };
  const query = libraryViewQuery(view);
  assert.equal(query, "?q=bike+repair&health=warnings&tasks=unsolvable&kind=shadowed-routes&excluded=1&sort=toolCount&dir=asc");
  assert.deepEqual(libraryViewFromQuery(Object.fromEntries(new URLSearchParams(query))), view);
  assert.equal(libraryViewQuery(DEFAULT_LIBRARY_VIEW), "");
  assert.deepEqual(libraryViewFromQuery({}), DEFAULT_LIBRARY_VIEW);
  // Unknown values fall back; a sort without a direction takes that column's first direction.
  assert.deepEqual(libraryViewFromQuery({ health: "bad", tasks: "fine", kind: "typos", excluded: "yes", sort: "nope" }), DEFAULT_LIBRARY_VIEW);
  assert.deepEqual(libraryViewFromQuery({ sort: "seedRows" }).sort, { key: "seedRows", direction: "desc" });
});

test("the empty state reads as a sentence", () => {
  assert.equal(noMatchMessage("", "warnings"), "No environment with warnings.");
  assert.equal(noMatchMessage("  zzz ", "all"), "No environment matches “zzz”.");
  assert.equal(noMatchMessage("bike", "ok"), "No environment without issues matches “bike”.");
});

const triage = [
  env("shop", "Shop", { issueKinds: ["failing-inserts", "shadowed-routes"] }),
  env("bank", "Bank", { issueKinds: ["cut-off-tables"] }),
  env("zoo", "Zoo", { issueKinds: ["suspicious-verifiers"], excluded: true, excludedNote: "verifiers reward nothing" }),
  env("farm", "Farm"),
];
const names = (envs: { name: string }[]) => envs.map((e) => e.name);
const narrow = (over: Partial<LibraryViewState>, counts?: Record<string, Record<string, number>>) =>
  names(narrowEnvironments(triage, { ...DEFAULT_LIBRARY_VIEW, ...over }, counts));

test("excluded environments are hidden until the view shows them", () => {
  assert.deepEqual(narrow({}), ["shop", "bank", "farm"]);
  assert.deepEqual(narrow({ showExcluded: true }), ["shop", "bank", "zoo", "farm"]);
});

test("an issue kind keeps the environments whose validation found that kind", () => {
  assert.deepEqual(narrow({ kind: "failing-inserts" }), ["shop"]);
  assert.deepEqual(narrow({ kind: "shadowed-routes" }), ["shop"]);
  assert.deepEqual(narrow({ kind: "cut-off-tables" }), ["bank"]);
  assert.deepEqual(narrow({ kind: "suspicious-verifiers" }), []);
  assert.deepEqual(narrow({ kind: "suspicious-verifiers", showExcluded: true }), ["zoo"]);
});

test("unsolvable tasks come from the task status counts, and need them loaded", () => {
  assert.equal(needsTaskStatuses({ tasks: "any", kind: "unsolvable-tasks" }), true);
  assert.equal(needsTaskStatuses({ tasks: "any", kind: "failing-inserts" }), false);
  // Before the counts arrive the kind cannot decide, so nothing is dropped for it.
  assert.deepEqual(narrow({ kind: "unsolvable-tasks" }), ["shop", "bank", "farm"]);
  assert.deepEqual(narrow({ kind: "unsolvable-tasks" }, { farm: { unsolvable: 2 }, bank: { curated: 4 } }), ["farm"]);
  // Task and kind filters combine.
  assert.deepEqual(narrow({ kind: "cut-off-tables", tasks: "curated" }, { bank: { curated: 4 } }), ["bank"]);
  assert.deepEqual(narrow({ kind: "failing-inserts", tasks: "curated" }, { bank: { curated: 4 } }), []);
});

test("selection: toggle one, select every shown row or unselect them, and count the hidden ones", () => {
  const one = toggleName(new Set(), "shop");
  assert.deepEqual([...one], ["shop"]);
  assert.deepEqual([...toggleName(one, "shop")], []);
  const all = toggleShown(new Set(["zoo"]), ["shop", "bank"]);
  assert.deepEqual([...all].sort(), ["bank", "shop", "zoo"]);
  assert.deepEqual([...toggleShown(all, ["shop", "bank"])], ["zoo"]);
  assert.deepEqual([...toggleShown(new Set(["shop"]), ["shop", "bank"])].sort(), ["bank", "shop"]);
  assert.equal(hiddenCount(all, ["shop", "bank"]), 1);
});
