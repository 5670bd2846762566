import { expect, test, type Page } from "@playwright/test";

// The starter library (library/README.md) is always imported; the real samples may be too.
const CLEAN = "maple_street_library_lending_desk";
const GARDEN = "sprout_lane_community_garden_plots";
const BIKES = "spoke_chain_bike_repair_tickets";

async function openLibrary(page: Page) {
  await page.goto("/");
  await expect(page.locator("body")).toHaveAttribute("data-library-ready", "true");
}

function row(page: Page, name: string) {
  return page.locator(`[data-testid=library-row][data-name="${name}"]`);
}

test("the library lists every environment with its health", async ({ page }) => {
  await openLibrary(page);
  await expect(row(page, CLEAN)).toBeVisible();
  await expect(row(page, CLEAN).getByTestId("health-badge")).toHaveText("ok");
  await expect(row(page, GARDEN).getByTestId("health-badge")).toContainText("1 error");
  await expect(row(page, BIKES).getByTestId("health-badge")).toContainText("7 errors");
  await expect(row(page, GARDEN)).toContainText("Sprout Lane Community Garden Plots");
});

test("search narrows the rows to name or scenario matches", async ({ page }) => {
  await openLibrary(page);
  const total = await page.getByTestId("library-row").count();
  expect(total).toBeGreaterThanOrEqual(3);

  await page.getByTestId("library-search").fill("Bike Repair");
  await expect(page.getByTestId("library-row")).toHaveCount(1);
  await expect(row(page, BIKES)).toBeVisible();
  await expect(page.getByTestId("library-total")).toContainText("1 of");

  await page.getByTestId("library-search").fill("garden_plots");
  await expect(page.getByTestId("library-row")).toHaveCount(1);
  await expect(row(page, GARDEN)).toBeVisible();

  await page.getByTestId("library-search").fill("no environment is called this");
  await expect(page.getByTestId("library-no-match")).toBeVisible();

  await page.getByTestId("library-search").fill("");
  await expect(page.getByTestId("library-row")).toHaveCount(total);
});

test("the health filter keeps only environments of that health", async ({ page }) => {
  await openLibrary(page);
  await page.getByTestId("health-filter-errors").click();
  await expect(row(page, GARDEN)).toBeVisible();
  await expect(row(page, BIKES)).toBeVisible();
  await expect(row(page, CLEAN)).toHaveCount(0);
  for (const health of await page.getByTestId("library-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-health")))) {
    expect(health).toBe("errors");
  }

  await page.getByTestId("health-filter-ok").click();
  await expect(row(page, CLEAN)).toBeVisible();
  await expect(row(page, GARDEN)).toHaveCount(0);
});

test("sorting by a column orders the rows and a second click reverses them", async ({ page }) => {
  await openLibrary(page);
  const names = () => page.getByTestId("library-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-name")));
  await page.getByTestId("sort-health").click();
  const descending = await names();
  expect(descending.indexOf(BIKES)).toBeLessThan(descending.indexOf(GARDEN));
  expect(descending.indexOf(GARDEN)).toBeLessThan(descending.indexOf(CLEAN));
  await page.getByTestId("sort-health").click();
  const ascending = await names();
  expect(ascending.indexOf(CLEAN)).toBeLessThan(ascending.indexOf(GARDEN));
});

test("an environment's overview shows its issues and each links to the exact place", async ({ page }) => {
  await openLibrary(page);
  await row(page, GARDEN).click();
  await expect(page).toHaveURL(new RegExp(`/environments/${GARDEN}$`));
  await expect(page.getByTestId("environment-scenario")).toHaveText("Sprout Lane Community Garden Plots");

  const seedIssue = page.getByTestId("issue-group-seed").getByTestId("issue");
  await expect(seedIssue).toHaveCount(1);
  await expect(seedIssue).toContainText("NOT NULL constraint failed: tool_reservations.reserved_for");
  await expect(page.getByTestId("issue-group-verifier")).toContainText("Task 5 has no verifier");

  await seedIssue.getByTestId("issue-link").click();
  await expect(page).toHaveURL(/tab=data/);
  const url = new URL(page.url());
  expect(url.searchParams.get("table")).toBe("tool_reservations");
  expect(url.searchParams.get("statement")).toBe("3");
  await expect(page.getByTestId("tab-data")).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("tab-panel-data")).toBeVisible();
});

test("the missing-verifier issue lands on the task, marked as having no verifier", async ({ page }) => {
  await page.goto(`/environments/${GARDEN}`);
  await page.getByTestId("issue-group-verifier").getByTestId("issue-link").click();
  await expect(page).toHaveURL(/tab=tasks&task=5/);
  const task = page.locator("[data-testid=task][data-task-idx='5']");
  await expect(task).toHaveClass(/taskHighlight/);
  await expect(task.getByTestId("verifier-missing")).toBeVisible();
  await expect(page.locator("[data-testid=task][data-task-idx='4']").getByTestId("verifier-present")).toHaveText("code verifier");
});

test("an unknown environment says so instead of rendering an empty page", async ({ page }) => {
  await page.goto("/environments/no_such_environment");
  await expect(page.getByTestId("error-box")).toContainText('no environment named "no_such_environment"');
});

test("re-importing the starter library reports every environment unchanged", async ({ page }) => {
  await page.goto("/import");
  await page.getByTestId("import-hint").first().click();
  await expect(page.getByTestId("import-folder")).toHaveValue(/library$/);
  await page.getByTestId("import-submit").click();
  const report = page.getByTestId("import-report");
  await expect(report).toBeVisible();
  await expect(report.getByTestId("import-env")).toHaveCount(3);
  for (const status of await report.getByTestId("import-status").allTextContents()) expect(status).toBe("unchanged");
  await expect(report.locator(`[data-testid=import-env][data-name="${BIKES}"]`)).toContainText("CREATE TABLE ticket_notes is cut off");
});

test("importing a folder that does not exist says which folder and why", async ({ page }) => {
  await page.goto("/import");
  await page.getByTestId("import-folder").fill("/no/such/awm/folder");
  await page.getByTestId("import-submit").click();
  const errors = page.getByTestId("import-folder-errors");
  await expect(errors).toContainText("/no/such/awm/folder");
  await expect(errors).toContainText("ENOENT");
});

test("a keyboard opens an environment from the library: Tab from a row's checkbox reaches its name, Enter opens it", async ({ page }) => {
  await page.goto("/");
  const first = page.getByTestId("library-row").first();
  const name = await first.getAttribute("data-name");
  await first.getByTestId("row-select").focus();
  await page.keyboard.press("Tab");
  await expect(first.getByTestId("library-row-link")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/environments/${name}$`));
});
