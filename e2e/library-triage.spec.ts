import { expect, test, type APIRequestContext } from "@playwright/test";
import type { ArtifactVersionList } from "../lib/store/environment-views.ts";
import { bearerHeaders } from "./support/studio.ts";

// Starter library environment C (library/README.md): a cut-off table and a shadowed route (C1, C2).
// The web server's generator is the scripted model (e2e/support/scripted-llm-model.ts), which answers the tasks stage.
const BIKES = "spoke_chain_bike_repair_tickets";

async function tasksVersion(request: APIRequestContext): Promise<number> {
  const response = await request.get(`/api/environments/${BIKES}/artifacts/tasks`, { headers: bearerHeaders() });
  return ((await response.json()) as ArtifactVersionList).versions[0]!.version;
}

test("bulk triage: filter by issue kind, select, exclude with a note, regenerate a stage as jobs", async ({ page, request }) => {
  test.setTimeout(120_000);
  const imported = await tasksVersion(request);
  try {
    await page.goto("/");
    await page.getByTestId("issue-kind-filter").selectOption("shadowed-routes");
    await expect(page).toHaveURL(/kind=shadowed-routes/);
    const rows = page.getByTestId("library-row");
    // Every environment with a shadowed route: the starter's bike shop, and gofundme when the samples are imported.
    await expect(rows.first()).toBeVisible();
    const names = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute("data-name")));
    expect(names).toContain(BIKES);
    expect(names.every((name) => name === BIKES || name === "gofundme")).toBe(true);
    await page.getByTestId("library-search").fill("bike");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute("data-name", BIKES);

    await page.getByTestId("select-shown").click();
    await expect(page.getByTestId("selection-count")).toHaveText("1 selected");
    await page.getByTestId("selection-note").fill("routes shadowed, table cut off");
    await page.getByTestId("selection-exclude").click();
    await expect(page.getByTestId("selection-result")).toContainText("Excluded 1 environment(s).");
    // Hidden by default, shown with its badge and note behind the toggle (kept in the URL).
    await expect(rows).toHaveCount(0);
    await page.getByTestId("show-excluded").check();
    await expect(page).toHaveURL(/excluded=1/);
    const row = page.locator(`[data-testid=library-row][data-name="${BIKES}"]`);
    await expect(row.getByTestId("excluded-badge")).toHaveText("excluded");
    await expect(row.getByTestId("excluded-note")).toHaveText("routes shadowed, table cut off");
    await page.reload();
    await expect(row.getByTestId("excluded-badge")).toBeVisible();
    // Its own page says so too.
    const libraryUrl = page.url();
    await page.goto(`/environments/${BIKES}`);
    await expect(page.getByTestId("environment-header").getByTestId("excluded-badge")).toHaveText("excluded");
    await page.goto(libraryUrl);
    await expect(row.getByTestId("excluded-badge")).toBeVisible();

    await row.getByTestId("row-select").check();
    await expect(page.getByTestId("selection-count")).toHaveText("1 selected");
    await page.getByTestId("selection-stage").selectOption("tasks");
    await page.getByTestId("selection-regenerate").click();
    await expect(page.getByTestId("selection-regenerate-question")).toHaveText("Regenerate tasks in 1 environment, one LLM job each?");
    await page.getByTestId("selection-regenerate-confirm").click();
    const result = page.getByTestId("selection-result");
    await expect(result).toContainText("Started 1 regeneration job(s)");
    await result.getByRole("link", { name: "follow them on Jobs" }).click();
    await expect(page).toHaveURL(/\/jobs$/);
    const job = page.locator("[data-testid^=job-]").filter({ hasText: BIKES }).first();
    await expect(job).toBeVisible();
    await expect(job).toHaveAttribute("data-status", "finished", { timeout: 60_000 });
    expect(await tasksVersion(request)).toBe(imported + 1);
  } finally {
    // Leave the starter library as other specs expect it: imported tasks, not excluded.
    if ((await tasksVersion(request)) !== imported) {
      await request.post(`/api/environments/${BIKES}/pipeline/artifacts`, { headers: bearerHeaders(), data: { action: "revert", kind: "tasks", version: imported } });
    }
    await request.post("/api/library/selection", { headers: bearerHeaders(), data: { action: "include", environments: [BIKES] } });
  }
});
