import { expect, test, type Page } from "@playwright/test";
import type { EnvironmentCode } from "../lib/store/environment-views.ts";
import type { BrowsePage } from "../lib/seeddb/browse.ts";
import type { DatabaseDescription } from "../lib/seeddb/environment-database.ts";

// Starter library environments (library/README.md): A is clean, B and C carry deliberate defects.
const LIBRARY = "maple_street_library_lending_desk";
const GARDEN = "sprout_lane_community_garden_plots";
const BIKES = "spoke_chain_bike_repair_tickets";

/** Everything the page asks of hosts other than the studio itself (the studio must work offline). */
function recordForeignRequests(page: Page): string[] {
  const foreign: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (!["127.0.0.1", "localhost"].includes(url.hostname) && !["data:", "blob:"].includes(url.protocol)) foreign.push(request.url());
  });
  return foreign;
}

async function getJson<T>(page: Page, url: string): Promise<T> {
  const response = await page.request.get(url);
  expect(response.ok(), `${url} answered ${response.status()}`).toBe(true);
  return (await response.json()) as T;
}

test("schema graph: one box per table, an edge per foreign key, the broken table in red", async ({ page }) => {
  const db = await getJson<DatabaseDescription>(page, `/api/environments/${BIKES}/schema`);
  await page.goto(`/environments/${BIKES}?tab=schema`);
  const svg = page.getByTestId("er-diagram");
  await expect(svg).toBeVisible();

  await expect(svg.getByTestId("er-box")).toHaveCount(db.tables.length + db.broken.length);
  for (const table of db.tables) await expect(svg.locator(`[data-testid=er-box][data-table="${table.name}"]`)).toHaveCount(1);
  const foreignKeys = db.tables.flatMap((table) =>
    table.foreignKeys.flatMap((key) => key.columns.map((column, i) => `${table.name}.${column}->${key.table}.${key.referencedColumns[i] ?? ""}`)),
  );
  expect(foreignKeys.length).toBeGreaterThan(0);
  for (const edge of foreignKeys) await expect(svg.locator(`[data-testid=er-edge][data-edge="${edge}"]`)).toHaveCount(1);

  // library/README.md, defect C1: ticket_notes is cut off mid-DDL.
  await expect(svg.locator('[data-testid=er-box][data-table="ticket_notes"]')).toHaveAttribute("data-broken", "true");
  const brokenCard = page.locator('[data-testid=schema-broken-table][data-table="ticket_notes"]');
  await expect(brokenCard).toContainText("incomplete input");
  await expect(brokenCard).toContainText("REFERENCES sta");

  await svg.locator('[data-testid=er-box][data-table="bikes"]').click();
  await expect(page).toHaveURL(/[?&]table=bikes(&|$)/);
  await expect(page.locator('[data-testid=schema-table][data-table="bikes"]')).toBeInViewport();

  // From the keyboard: Tab goes from table to table, each named with what it references; Enter opens one.
  const names = db.tables.map((table) => table.name);
  const at = names.findIndex((name, index) => name !== "bikes" && names[index + 1] !== undefined && names[index + 1] !== "bikes");
  const [first, second] = [names[at]!, names[at + 1]!];
  await page.getByRole("group", { name: new RegExp(`^Table ${first}: `) }).focus();
  await page.keyboard.press("Tab");
  const focused = page.getByRole("group", { name: new RegExp(`^Table ${second}: \\d+ rows?`) });
  await expect(focused).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`[?&]table=${second}(&|$)`));
  await expect(page.locator(`[data-testid=schema-table][data-table="${second}"]`)).toBeInViewport();
});

test("data tab: page, sort, filter and expand a long value", async ({ page }) => {
  const all = await getJson<BrowsePage>(page, `/api/environments/${LIBRARY}/tables/copies?pageSize=200`);
  expect(all.total).toBeGreaterThan(5);
  await page.goto(`/environments/${LIBRARY}?tab=data&table=copies`);
  const grid = page.getByTestId("data-grid");
  await expect(grid).toBeVisible();
  const idCells = grid.locator('[data-testid=grid-cell][data-column="id"]');
  await expect(idCells).toHaveCount(all.total);

  // Paging
  await page.getByLabel("Rows per page").selectOption("5");
  await expect(page.getByTestId("grid-page")).toHaveText(`1 / ${Math.ceil(all.total / 5)}`);
  await expect(idCells).toHaveCount(5);
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page.getByTestId("grid-page")).toHaveText(`2 / ${Math.ceil(all.total / 5)}`);
  const idColumn = all.columns.indexOf("id");
  await expect(idCells.first()).toHaveText(String(all.rows[5]![idColumn]));

  // Sorting: first click ascending, second descending (back to page 1)
  await page.getByLabel("Rows per page").selectOption("50");
  const statusColumn = all.columns.indexOf("status");
  const statusCells = grid.locator('[data-testid=grid-cell][data-column="status"]');
  await grid.locator('[data-sort-column="status"]').click();
  await grid.locator('[data-sort-column="status"]').click();
  await expect(grid.locator('th[aria-sort="descending"]')).toContainText("status");
  const expectedDesc = all.rows.map((row) => String(row[statusColumn])).sort().reverse();
  await expect(statusCells).toHaveText(expectedDesc);

  // Global filter, then a column filter on top of it
  const sample = String(all.rows[0]![statusColumn]);
  const matching = all.rows.filter((row) => row.some((value) => String(value).toLowerCase().includes(sample.toLowerCase())));
  await page.getByLabel("Filter all columns").fill(sample);
  await expect(idCells).toHaveCount(matching.length);
  await expect(page.getByTestId("grid-total")).toContainText(`of ${matching.length}`);
  const firstId = String(matching[0]![idColumn]);
  await page.getByLabel("Filter id", { exact: true }).fill(firstId);
  const both = matching.filter((row) => String(row[idColumn]).includes(firstId));
  await expect(idCells).toHaveCount(both.length);

  // A long value opens in full in the side panel
  const fines = await getJson<BrowsePage>(page, `/api/environments/${LIBRARY}/tables/fines?pageSize=200`);
  await page.locator('nav[aria-label="Tables"] [data-table="fines"]').click();
  await expect(page).toHaveURL(/[?&]table=fines(&|$)/);
  const longCell = page.locator("[data-testid=grid-cell][data-long=true]").first();
  await expect(longCell).toBeVisible();
  const column = (await longCell.getAttribute("data-column"))!;
  const rowIndex = Number(await longCell.locator("xpath=ancestor::tr/td[1]").textContent()) - 1;
  const fullValue = String(fines.rows[rowIndex]![fines.columns.indexOf(column)]);
  await longCell.click();
  await expect(page.getByTestId("value-panel-text")).toHaveText(fullValue);
  await page.getByRole("button", { name: "Close value panel" }).click();
  await expect(page.getByTestId("value-panel")).toHaveCount(0);
});

test("data tab: a broken table lists its failed INSERTs and the ?statement= anchor marks one", async ({ page }) => {
  await page.goto(`/environments/${BIKES}?tab=data&table=ticket_notes&statement=2`);
  await expect(page.getByTestId("seed-failure")).toHaveCount(4);
  await expect(page.locator('[data-testid=seed-failure][data-statement="2"]')).toContainText("no such table: ticket_notes");
});

test("code tab: Monaco renders the code offline and jumps to an operation", async ({ page }) => {
  const foreign = recordForeignRequests(page);
  const code = await getJson<EnvironmentCode>(page, `/api/environments/${BIKES}/code`);
  const shadowed = code.routes.find((route) => route.operationId === "get_ticket_summary");
  expect(shadowed).toBeDefined();

  await page.goto(`/environments/${BIKES}?tab=code`);
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("FastAPI", { timeout: 20_000 });
  // Python highlighting: Monaco tokenized the keywords.
  await expect(page.locator(".monaco-editor .view-lines span[class*=mtk]").first()).toBeVisible();

  const item = page.locator(`[data-testid=code-operations] [data-op="get_ticket_summary"]`);
  await expect(item).toContainText("duplicate route GET /api/tickets/{ticket_code}");
  await item.click();
  await expect(page).toHaveURL(/[?&]op=get_ticket_summary(&|$)/);
  await expect(page.locator(".monaco-editor .active-line-number")).toHaveText(String(shadowed!.line));

  // The anchor alone does the same on load.
  await page.goto(`/environments/${BIKES}?tab=code&line=${code.routes[0]!.line}`);
  await expect(page.locator(".monaco-editor .active-line-number")).toHaveText(String(code.routes[0]!.line), { timeout: 20_000 });
  expect(foreign).toEqual([]);
});

test("verifiers tab: tasks with their verifier code, the task without one marked", async ({ page }) => {
  await page.goto(`/environments/${GARDEN}?tab=verifiers`);
  // library/README.md, defect B3: task 5 has no verifier.
  await expect(page.locator('[data-task="5"]').first()).toContainText("no verifier");
  await page.locator('button[data-task="2"]').click();
  await expect(page).toHaveURL(/[?&]task=2(&|$)/);
  await expect(page.getByTestId("verifier-detail")).toHaveAttribute("data-task", "2");
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("verify_task_completion", { timeout: 20_000 });
});

test("API tab: ?op= opens the endpoint; missing code and missing tables are marked", async ({ page }) => {
  // library/README.md, defect B2: withdraw_work_day_signup is not implemented.
  await page.goto(`/environments/${GARDEN}?tab=api&op=withdraw_work_day_signup`);
  const endpoint = page.locator('[data-testid=endpoint][data-op="withdraw_work_day_signup"]');
  await expect(endpoint).toHaveAttribute("data-implemented", "missing");
  await expect(endpoint).toContainText("not in code");
  await expect(endpoint).toBeInViewport();
  await expect(endpoint.getByRole("cell", { name: "work_day_id" })).toBeVisible();

  // Defect C3: list_mechanics requires a table the schema lacks.
  await page.goto(`/environments/${BIKES}?tab=api&op=list_mechanics`);
  await expect(page.locator('[data-testid=endpoint][data-op="list_mechanics"] [data-missing-table="mechanic_shifts"]')).toBeVisible();
  await page.getByLabel("Search endpoints").fill("list_mechanics");
  await expect(page.getByTestId("endpoint")).toHaveCount(1);
});
