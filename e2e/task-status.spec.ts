import { expect, test } from "@playwright/test";
import type { EnvironmentTaskStatuses } from "../lib/curation/status-rules.ts";

// Starter library environment (library/README.md) with a clean import.
const LIBRARY = "maple_street_library_lending_desk";

test("task statuses: at a glance in the Overview, with evidence in Tasks; a person's unsolvable mark, the library filter, clearing it", async ({ page }) => {
  const response = await page.request.get(`/api/environments/${LIBRARY}/task-status`);
  expect(response.ok()).toBe(true);
  const before = (await response.json()) as EnvironmentTaskStatuses;
  expect(before.tasks.length).toBeGreaterThan(0);
  const first = before.tasks[0]!;

  await page.goto(`/environments/${LIBRARY}`);
  const summary = page.getByTestId("task-status-summary");
  await expect(summary).toBeVisible();
  for (const status of new Set(before.tasks.map((task) => task.status))) {
    const count = before.tasks.filter((task) => task.status === status).length;
    await expect(summary.getByTestId(`task-status-count-${status}`)).toContainText(String(count));
  }

  await page.goto(`/environments/${LIBRARY}?tab=tasks`);
  const task = page.locator(`[data-testid=task][data-task-idx="${first.taskIdx}"]`);
  await expect(task.getByTestId("task-status")).toHaveText(first.status);
  const details = task.getByTestId("task-status-details");
  await details.locator("summary").click();
  await details.getByTestId("unsolvable-note").fill("the seed makes the insert violate UNIQUE");
  await details.getByRole("button", { name: "Mark unsolvable" }).click();
  await expect(task.getByTestId("task-status")).toHaveText("unsolvable");
  await expect(details).toContainText("marked unsolvable by a person: the seed makes the insert violate UNIQUE");
  await expect(details.locator("summary")).toHaveText(/^Why unsolvable: /);
  await page.getByTestId("tasks-status-filter").selectOption("unsolvable");
  const unsolvable = before.tasks.filter((entry) => entry.status === "unsolvable" || entry.taskIdx === first.taskIdx).length;
  await expect(page.getByTestId("task")).toHaveCount(unsolvable);

  await page.goto("/?tasks=unsolvable");
  await expect(page.getByTestId("task-status-filter")).toHaveValue("unsolvable");
  await expect(page.locator(`[data-testid=library-row][data-name="${LIBRARY}"]`)).toHaveCount(1);

  // A rollout group leaves an unsolvable task out unless someone picks it: its rewards would teach nothing.
  await page.goto(`/rollouts/new?env=${LIBRARY}`);
  const picked = page.getByTestId("rollout-tasks").locator("label").nth(first.taskIdx);
  await expect(picked.getByTestId("task-status")).toHaveText("unsolvable");
  await expect(picked.locator("input[type=checkbox]")).not.toBeChecked();

  await page.goto(`/environments/${LIBRARY}?tab=tasks`);
  await details.locator("summary").click();
  await details.getByRole("button", { name: "Clear mark" }).click();
  await expect(task.getByTestId("task-status")).toHaveText(first.status);
});
