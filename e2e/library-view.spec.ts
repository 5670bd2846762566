import { expect, test } from "@playwright/test";
import type { EnvironmentSummary } from "../lib/store/environments.ts";

// Issue 13 item 9: the health filters count what the badges show; the view lives in the URL.
test("the Warnings filter counts and lists every environment that has warnings", async ({ page, request }) => {
  const environments = (await (await request.get("/api/environments")).json()) as EnvironmentSummary[];
  const withWarnings = environments.filter((env) => env.warningCount > 0).map((env) => env.name);
  expect(withWarnings.length, "the starter library has environments with warnings").toBeGreaterThan(0);

  await page.goto("/");
  await expect(page.locator("body")).toHaveAttribute("data-library-ready", "true");
  await expect(page.getByTestId("health-filter-warnings")).toContainText(String(withWarnings.length));
  await page.getByTestId("health-filter-warnings").click();
  const names = await page.getByTestId("library-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-name")));
  expect(names.sort()).toEqual([...withWarnings].sort());
  for (const badge of await page.getByTestId("library-row").getByTestId("health-badge").allTextContents()) expect(badge).toMatch(/warning/);
});

test("search, filter and sort live in the URL: a reload or a shared link shows the same view", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("body")).toHaveAttribute("data-library-ready", "true");
  await page.getByTestId("library-search").fill("s");
  await page.getByTestId("health-filter-errors").click();
  await page.getByTestId("sort-toolCount").click();
  await expect(page).toHaveURL(/\?q=s&health=errors&sort=toolCount&dir=desc$/);
  const names = () => page.getByTestId("library-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-name")));
  const before = await names();

  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-library-ready", "true");
  await expect(page.getByTestId("library-search")).toHaveValue("s");
  await expect(page.getByTestId("health-filter-errors")).toHaveAttribute("aria-checked", "true");
  expect(await names()).toEqual(before);

  const shared = await page.context().newPage();
  await shared.goto("/?health=warnings&q=garden");
  await expect(shared.getByTestId("library-row")).toHaveCount(1);
  await expect(shared.getByTestId("health-filter-warnings")).toHaveAttribute("aria-checked", "true");
});

test("the empty state says what was looked for, as a sentence, and clears in one click", async ({ page }) => {
  await page.goto("/?q=no+such+environment&health=warnings");
  const empty = page.getByTestId("library-no-match");
  await expect(empty).toContainText("No environment with warnings matches “no such environment”.");
  await empty.getByTestId("library-clear").click();
  await expect(page.getByTestId("library-row").first()).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
});
