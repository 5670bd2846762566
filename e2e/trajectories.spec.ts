import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";

// A run in the starter library's garden environment: a read, then a profile update that the replay
// re-executes to produce the step's database diff. No databases: the replay supplies them.
const SCENARIO = "Sprout Lane Community Garden Plots";

/** `extraCall`: one more call after the profile update, e.g. to a tool the environment lacks. */
function writeRunFolder(extraCall?: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "awm-e2e-run-"));
  const call = (id: string, name: string, args: object) => ({ id, name: `mcp_tool_mcp_server_${name}`, arguments: JSON.stringify(args) });
  const extra = extraCall
    ? [
        { iteration: 2, role: "assistant", content: "One more thing.", tool_calls: [call("c2", extraCall, {})] },
        { iteration: 2, role: "tool", tool_response: { tool_call_id: "c2", content: '{"ok": true}' } },
      ]
    : [];
  const run = {
    scenario: SCENARIO,
    task_id: 0,
    task: "Update my phone number to 555-0199.",
    model: "e2e-model",
    trajectory: [
      { iteration: 0, role: "assistant", content: "Let me look at the plots first.", tool_calls: [call("c0", "list_plots", {})] },
      { iteration: 0, role: "tool", tool_response: { tool_call_id: "c0", content: "[]" } },
      { iteration: 1, role: "assistant", content: "Updating the phone.", tool_calls: [call("c1", "update_my_profile", { phone: "555-0199" })] },
      { iteration: 1, role: "tool", tool_response: { tool_call_id: "c1", content: '{"ok": true}' } },
      ...extra,
      { iteration: 3, role: "assistant", content: "Your phone number is now 555-0199.", tool_calls: [], is_final: true },
    ],
    messages: [],
  };
  fs.writeFileSync(path.join(folder, "trajectory.json"), JSON.stringify(run));
  fs.writeFileSync(path.join(folder, "verify.code.json"), JSON.stringify({ result: "others", reason: "task 0 asks for a plot booking" }));
  return folder;
}

async function importRun(request: APIRequestContext, { extraCall, replay = "ok" }: { extraCall?: string; replay?: string } = {}): Promise<string> {
  const folder = writeRunFolder(extraCall);
  const response = await request.post("/api/trajectories/import", { data: { folder } });
  expect(response.status(), await response.text()).toBe(200);
  const imported = (await response.json()) as { trajectoryId: string; replay: { status: string } };
  expect(imported.replay.status).toBe(replay);
  fs.rmSync(folder, { recursive: true, force: true });
  return imported.trajectoryId;
}

test("an imported run can be stepped through with its database diff and verdict", async ({ page, request }) => {
  const id = await importRun(request);

  await page.goto(`/trajectories/${id}`);
  await expect(page.locator("body")).toHaveAttribute("data-trajectory-ready", "true");
  await expect(page.getByTestId("trajectory-task")).toHaveText("Update my phone number to 555-0199.");
  await expect(page.getByTestId("step-row")).toHaveCount(3);
  await expect(page.getByTestId("step-detail")).toHaveAttribute("data-ordinal", "0");
  await expect(page.getByTestId("db-diff")).toHaveAttribute("data-empty", "true");

  await page.keyboard.press("ArrowRight");
  const detail = page.getByTestId("step-detail");
  await expect(detail).toHaveAttribute("data-ordinal", "1");
  await expect(detail).toContainText("update_my_profile");
  await expect(page.getByTestId("step-arguments")).toContainText('"phone": "555-0199"');
  const changed = page.locator('[data-testid=diff-changed-cell][data-column="phone"]');
  await expect(changed).toContainText("555-0199");

  await page.keyboard.press("ArrowRight");
  await expect(detail).toHaveAttribute("data-ordinal", "2");
  await expect(detail).toContainText("Your phone number is now 555-0199.");
  await page.keyboard.press("ArrowLeft");
  await expect(detail).toHaveAttribute("data-ordinal", "1");
  await page.getByTestId("diff-scope-cumulative").click();
  await expect(changed).toBeVisible();

  const verdict = page.getByTestId("verdict-card").first();
  await expect(verdict).toBeVisible();
  await expect(verdict).toContainText("not complete");
});

test("a run whose replay diverged says which database its verdict judged", async ({ page, request }) => {
  const id = await importRun(request, { extraCall: "waive_all_fees", replay: "diverged" });
  await page.goto(`/trajectories/${id}`);
  await expect(page.getByTestId("replay-card")).toHaveAttribute("data-status", "diverged");
  await expect(page.getByTestId("replay-card")).toContainText("waive_all_fees");
  await expect(page.getByTestId("verdict-card").first()).toContainText("not complete");
  await expect(page.getByTestId("judged-database-note")).toHaveText("Judged on the final database its replay made, and the replay diverged: it lacks what the calls the environment refused would have done (see Replay).");
  // A run that replays cleanly has no such note.
  await page.goto(`/trajectories/${await importRun(request)}`);
  await expect(page.getByTestId("verdict-card").first()).toBeVisible();
  await expect(page.getByTestId("judged-database-note")).toHaveCount(0);
});

test("the trajectory list shows an imported run and filters by environment", async ({ page, request }) => {
  const id = await importRun(request);
  await page.goto("/trajectories");
  const rows = page.getByTestId("trajectory-row");
  await expect(page.locator(`[data-testid=trajectory-row][data-id="${id}"]`)).toBeVisible();
  await page.getByTestId("filter-environment").selectOption("sprout_lane_community_garden_plots");
  await expect(rows.first()).toContainText("sprout_lane_community_garden_plots");
  await expect(rows.filter({ hasNotText: "sprout_lane_community_garden_plots" })).toHaveCount(0);
  // Other specs may have recorded runs elsewhere; the bike shop gets none in the suite.
  await page.getByTestId("filter-environment").selectOption("spoke_chain_bike_repair_tickets");
  await expect(page.getByTestId("trajectories-empty")).toContainText("No trajectories match these filters");
  // The filters are in the URL: a reload keeps them, typing is not cut short, and Clear empties them.
  await expect(page).toHaveURL(/environment=spoke_chain_bike_repair_tickets/);
  await page.getByTestId("filter-model").pressSequentially("gpt-5-mini");
  await expect(page).toHaveURL(/model=gpt-5-mini/);
  await page.reload();
  await expect(page.getByTestId("filter-environment")).toHaveValue("spoke_chain_bike_repair_tickets");
  await expect(page.getByTestId("filter-model")).toHaveValue("gpt-5-mini");
  await page.getByTestId("trajectories-empty").getByRole("button", { name: "Clear the filters" }).click();
  await expect(page.locator(`[data-testid=trajectory-row][data-id="${id}"]`)).toBeVisible();
  await expect(page).toHaveURL(/\/trajectories$/);
});

test("a link can open the list filtered: the Agent runs crumb lists agent runs only", async ({ page }) => {
  await page.goto("/trajectories?source=agent");
  await expect(page.getByTestId("filter-source")).toHaveValue("agent");
  await expect(page.getByTestId("trajectory-row").filter({ hasNotText: "agent" })).toHaveCount(0);
});

test("an episode in play: its trajectory page says so, offers no replay and shows steps as they come", async ({ page, request }) => {
  const started = await request.post("/api/episodes", { data: { environment: "maple_street_library_lending_desk", taskIdx: 0 } });
  expect(started.status(), await started.text()).toBe(200);
  const { episode, instanceId } = (await started.json()) as { episode: string; instanceId: string };
  const call = () => request.post(`/api/instances/${instanceId}/call`, { data: { tool: "list_my_loans", arguments: { status: "active" } } });
  expect((await call()).status()).toBe(200);
  await page.goto(`/trajectories/${episode}`);
  await expect(page.getByTestId("trajectory-in-play")).toContainText("In play");
  await expect(page.getByTestId("replay-again")).toBeDisabled();
  await expect(page.getByTestId("step-row")).toHaveCount(1);
  expect((await call()).status()).toBe(200);
  await expect(page.getByTestId("step-row")).toHaveCount(2);
  await request.delete(`/api/instances/${instanceId}`);
  // Its instance stopped: the page says no agent can play on, and how to go on.
  await page.reload();
  await expect(page.getByTestId("trajectory-in-play")).toContainText("Not finished, and its instance is stopped (stopped on request): no agent can play on. Restart it on its playtest page");
  await page.getByTestId("trajectory-in-play").getByRole("link").click();
  await expect(page.getByTestId("playtest-page")).toBeVisible();
});
