import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";

/** A run of the starter library's garden environment that only answers: nothing to replay. */
function answerOnlyRun(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "awm-e2e-review-"));
  const trajectory = [{ iteration: 0, role: "assistant", content: "Done, your plot is booked.", tool_calls: [], is_final: true }];
  fs.writeFileSync(path.join(folder, "trajectory.json"), JSON.stringify({ scenario: "Sprout Lane Community Garden Plots", task_id: 0, task: "Book a plot.", model: "e2e-review", trajectory, messages: [] }));
  return folder;
}

/** Imports answerOnlyRun() through the route the page uses; returns its trajectory id. */
async function importAnswerOnlyRun(request: APIRequestContext): Promise<string> {
  const folder = answerOnlyRun();
  const response = await request.post("/api/trajectories/import", { data: { folder } });
  fs.rmSync(folder, { recursive: true, force: true });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { trajectoryId: string }).trajectoryId;
}

test("a reviewer tags a run and notes why; the list filters by the tag", async ({ page, request }) => {
  const trajectoryId = await importAnswerOnlyRun(request);

  await page.goto(`/trajectories/${trajectoryId}`);
  const card = page.getByTestId("review-card");
  await card.getByLabel("reward hacking").check();
  await expect(card.getByTestId("review-tags")).toHaveValue("reward hacking");
  await card.getByTestId("review-tags").fill("reward hacking, Claims Without Calls");
  await card.getByTestId("review-note").fill("It says the plot is booked without calling a tool.");
  await card.getByTestId("review-save").click();
  await expect(card.getByTestId("review-tags")).toHaveValue("reward hacking, claims without calls");

  await page.goto("/trajectories");
  await page.getByTestId("filter-tag").fill("claims without calls");
  const rows = page.getByTestId("trajectory-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-id", trajectoryId);
  await expect(rows.first().getByTestId("trajectory-tag")).toHaveText(["reward hacking", "claims without calls"]);
});

test("a refresh that fails keeps the loaded page and the note being typed, and says it could not refresh", async ({ page, request }) => {
  const trajectoryId = await importAnswerOnlyRun(request);

  await page.goto(`/trajectories/${trajectoryId}`);
  const note = page.getByTestId("review-card").getByTestId("review-note");
  await note.fill("Half a thought, not saved yet");
  // The studio stops answering the trajectory (a restart, the network down); a replay asks for it again.
  await page.route(`**/api/trajectories/${trajectoryId}`, (route) => (route.request().method() === "GET" ? route.abort() : route.continue()));
  await page.getByTestId("replay-again").click();
  await expect(page.getByTestId("refresh-error")).toContainText("Could not refresh");
  await expect(note).toHaveValue("Half a thought, not saved yet");
  await expect(page.getByTestId("trajectory-page")).toBeVisible();
});
