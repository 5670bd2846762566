import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";

// Issue 13 item 10: nothing that identifies a run or shows a change is pushed off-screen or cut.
const LONG_PHONE = "555-0100-this-number-is-far-longer-than-the-column-it-lands-in-0123456789";
const MODEL = "Snowflake/Arctic-AWM-14B-instruct";
test.use({ viewport: { width: 1280, height: 800 } });

/** A run of the garden environment's task 0 that sets `phone` (replayed on import, so it has diffs). */
async function importRun(request: APIRequestContext, phone: string, model: string): Promise<string> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "awm-e2e-layout-"));
  const call = (id: string, name: string, args: object) => ({ id, name: `mcp_tool_mcp_server_${name}`, arguments: JSON.stringify(args) });
  const trajectory = [
    { iteration: 0, role: "assistant", content: "Updating the phone.", tool_calls: [call("c0", "update_my_profile", { phone })] },
    { iteration: 0, role: "tool", tool_response: { tool_call_id: "c0", content: '{"ok": true}' } },
    { iteration: 1, role: "assistant", content: `Your phone number is now ${phone}.`, tool_calls: [], is_final: true },
  ];
  fs.writeFileSync(path.join(folder, "trajectory.json"), JSON.stringify({ scenario: "Sprout Lane Community Garden Plots", task_id: 0, task: "Update my phone number to 555-0199.", model, trajectory, messages: [] }));
  const response = await request.post("/api/trajectories/import", { data: { folder } });
  expect(response.status(), await response.text()).toBe(200);
  fs.rmSync(folder, { recursive: true, force: true });
  return ((await response.json()) as { trajectoryId: string }).trajectoryId;
}

async function rightEdge(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error("not rendered");
  return box.x + box.width;
}

/** Whether the element shows all of its content (no ellipsis, no clipping). */
function fitsInside(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element.scrollWidth <= element.clientWidth + 1 && element.scrollHeight <= element.clientHeight + 1);
}

async function viewportWidth(page: Page): Promise<number> {
  return page.viewportSize()?.width ?? 0;
}

test("compare: both columns stay on screen when the runs differ", async ({ page, request }) => {
  const a = await importRun(request, "555-0199", "e2e-model");
  const b = await importRun(request, LONG_PHONE, MODEL);
  await page.goto(`/trajectories/compare?a=${a}&b=${b}`);
  const sides = page.getByTestId("compare-side");
  await expect(sides).toHaveCount(2);
  await expect(sides.nth(1).getByTestId("diff-table")).toBeVisible();
  for (const index of [0, 1]) expect(await rightEdge(sides.nth(index))).toBeLessThanOrEqual(await viewportWidth(page));
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  // Rows are numbered from 1, like the trajectory and playtest pages.
  await expect(page.getByTestId("compare-row").first().locator("span").first()).toHaveText("1");
});

test("the trajectory list shows the task, the whole model name and the date", async ({ page, request }) => {
  const id = await importRun(request, "555-0199", MODEL);
  await page.goto("/trajectories");
  const row = page.locator(`[data-testid=trajectory-row][data-id="${id}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId("trajectory-task-text")).toHaveText("Update my phone number to 555-0199.");
  expect(await fitsInside(row.getByTestId("trajectory-task-text"))).toBe(true);
  expect(await fitsInside(row.getByTestId("trajectory-model"))).toBe(true);
  await expect(row.getByTestId("trajectory-created")).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  expect(await fitsInside(row.getByTestId("trajectory-created"))).toBe(true);
  expect(await rightEdge(row.getByTestId("trajectory-created"))).toBeLessThanOrEqual(await viewportWidth(page));
});

test("playtest: a step's diff table shows its changed column without scrolling sideways", async ({ page }) => {
  await page.goto("/playtest/new?env=maple_street_library_lending_desk&task=0");
  await expect(page.getByTestId("instance-status")).toHaveAttribute("data-status", "running", { timeout: 20_000 });
  await page.getByTestId("tool-search").fill("renew_loan");
  await page.locator('[data-testid=tool-item][data-tool="renew_loan"]').click();
  const renew = page.locator('[data-testid=tool-panel][data-tool="renew_loan"]');
  await renew.locator('[data-field="loan_id"] input').fill("1");
  await renew.getByTestId("call-button").click();
  const table = page.locator('[data-testid=step-result] [data-testid=diff-step] [data-testid=diff-table][data-table="loans"]');
  await expect(table).toBeVisible();
  const changed = table.getByTestId("diff-changed-cell").first();
  await changed.scrollIntoViewIfNeeded();
  expect(await rightEdge(changed)).toBeLessThanOrEqual(await rightEdge(table));
  expect(await rightEdge(table)).toBeLessThanOrEqual(await viewportWidth(page));
});

test.describe("at 1024 px (a laptop: some 800 px beside the sidebar)", () => {
  test.use({ viewport: { width: 1024, height: 800 } });

  /** Nothing of the page is reached only by scrolling sideways. */
  async function noSidewaysScroll(page: Page): Promise<void> {
    const [scroll, client] = await page.locator("main").first().evaluate((main) => [main.scrollWidth, main.clientWidth]);
    expect(scroll, "the page's width").toBeLessThanOrEqual(client);
  }

  test("the library, the trajectory list, the instances and a playtest fit the page", async ({ page, request }) => {
    await page.goto("/");
    await expect(page.getByTestId("library-row").first()).toBeVisible();
    await noSidewaysScroll(page);

    await importRun(request, "555-0199", MODEL);
    await page.goto("/trajectories");
    await expect(page.getByTestId("trajectory-created").first()).toBeVisible();
    expect(await rightEdge(page.getByTestId("trajectory-created").first())).toBeLessThanOrEqual(await viewportWidth(page));
    await noSidewaysScroll(page);

    const started = await request.post("/api/episodes", { data: { environment: "maple_street_library_lending_desk", taskIdx: 1 } });
    expect(started.status(), await started.text()).toBe(200);
    const episode = (await started.json()) as { episode: string; instanceId: string };
    try {
      await page.goto("/instances");
      const stop = page.locator(`[data-testid="instance-${episode.instanceId}"] [data-testid=stop-instance]`);
      await expect(stop).toBeVisible();
      expect(await rightEdge(stop)).toBeLessThanOrEqual(await viewportWidth(page));
      await noSidewaysScroll(page);

      await page.goto(`/playtest/${episode.episode}?instance=${episode.instanceId}`);
      await expect(page.getByTestId("instance-status")).toHaveAttribute("data-status", "running", { timeout: 20_000 });
      // The form's inputs keep a usable width beside the tool list.
      const input = page.locator("[data-testid=tool-panel] input").first();
      await expect(input).toBeVisible();
      expect((await input.boundingBox())?.width ?? 0).toBeGreaterThan(200);
      await noSidewaysScroll(page);
    } finally {
      await request.delete(`/api/instances/${episode.instanceId}`);
    }
  });
});
