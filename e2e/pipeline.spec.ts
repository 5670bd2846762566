import { expect, test, type Page } from "@playwright/test";
import type { ArtifactVersionList, ArtifactVersionRecord } from "../lib/store/environment-views.ts";
import type { LlmSettingsView } from "../lib/llm/settings.ts";

// Starter library environment A (library/README.md); the web server's generator is the scripted
// model of e2e/support/scripted-llm-model.ts, which answers the tasks stage.
const LIBRARY = "maple_street_library_lending_desk";
const DOWNSTREAM = ["schema", "seed", "spec", "code", "verifier"];

async function getJson<T>(page: Page, url: string): Promise<T> {
  const response = await page.request.get(url);
  expect(response.ok(), `${url} answered ${response.status()}`).toBe(true);
  return (await response.json()) as T;
}

/** Barcodes and dates a tasks version names: single words, so Monaco's line wrapping never splits them. */
async function taskTokens(page: Page, version: number): Promise<Set<string>> {
  const stored = await getJson<ArtifactVersionRecord>(page, `/api/environments/${LIBRARY}/artifacts/tasks/${version}`);
  return new Set(JSON.stringify(stored.record).match(/[A-Z]{2}-\d+|\d{4}-\d{2}-\d{2}/g) ?? []);
}

test("regenerating tasks runs live in the stage graph; the editor diffs and reverts the new version", async ({ page }) => {
  test.setTimeout(120_000);
  const settings = await getJson<LlmSettingsView>(page, "/api/settings");
  expect(settings.models.generator.value, "start the web server with the scripted LLM (OPENAI_BASE_URL + AWM_STUDIO_GEN_MODEL, see e2e/support/scripted-llm-model.ts)").not.toBe("");
  const before = await getJson<ArtifactVersionList>(page, `/api/environments/${LIBRARY}/artifacts/tasks`);
  const version = before.versions[0]!.version;

  await page.goto(`/environments/${LIBRARY}?tab=pipeline`);
  const tasks = page.getByTestId("stage-node-tasks");
  await expect(tasks).toHaveAttribute("data-state", "passed");
  await expect(tasks).toHaveAttribute("data-version", String(version));
  await expect(page.getByTestId("llm-not-configured")).toHaveCount(0);

  await tasks.click();
  const detail = page.getByTestId("stage-detail");
  await expect(detail).toHaveAttribute("data-stage", "tasks");
  await detail.getByTestId("regenerate-stage").click();

  // The scripted model answers after a delay: the node is seen running, then passed one version up.
  await expect(tasks).toHaveAttribute("data-state", "running", { timeout: 20_000 });
  await expect(tasks).toContainText("running");
  await expect(page.getByTestId("job-progress")).toBeVisible();
  await expect(tasks).toHaveAttribute("data-state", "passed", { timeout: 60_000 });
  await expect(tasks).toHaveAttribute("data-version", String(version + 1));
  await expect(tasks).toContainText(`v${version + 1} · 1 attempt`);
  for (const stage of DOWNSTREAM) await expect(page.getByTestId(`stage-node-${stage}`)).toHaveAttribute("data-state", "stale");
  await expect(page.getByTestId("stage-node-scenario")).toHaveAttribute("data-state", "passed");

  // The attempt that produced it: check passed, the scripted answer, a link to its LLM call.
  const attempt = detail.getByTestId("attempt-1");
  await expect(attempt).toContainText("check passed");
  await expect(attempt.getByTestId("attempt-answer")).toContainText("'The Quiet Orchard'");
  await expect(attempt.getByRole("link", { name: /LLM call/ })).toHaveAttribute("href", /^\/llm-calls\/\w+/);

  // Editor: the diff against the version before shows what the regeneration replaced.
  const newTokens = await taskTokens(page, version + 1);
  const replaced = [...(await taskTokens(page, version))].find((token) => !newTokens.has(token));
  expect(replaced, "the regenerated tasks name other records than the ones before").toBeDefined();
  await detail.getByTestId("edit-artifact").click();
  const editor = page.getByTestId("artifact-editor");
  await expect(editor).toHaveAttribute("data-version", String(version + 1));
  await editor.getByTestId("editor-mode-diff").click();
  await expect(editor.getByTestId("editor-mode-diff")).toHaveText(`Diff vs v${version}`);
  const diff = editor.getByTestId("artifact-diff");
  await expect(diff.locator(".monaco-diff-editor")).toBeVisible({ timeout: 20_000 });
  await expect(diff.locator(".editor.original")).toContainText(replaced!);
  await expect(diff.locator(".editor.modified")).not.toContainText(replaced!);

  // Revert to the imported version: a new version with the old content, checked again.
  const versions = editor.getByTestId("version-list");
  await expect(versions.locator("li")).toHaveCount(before.versions.length + 1);
  await versions.getByTestId(`revert-to-${version}`).click();
  await expect(editor.getByTestId("check-result")).toContainText(`v${version + 2}`);
  await expect(editor.getByTestId("check-result")).toContainText("check passed");
  await expect(versions.locator("li")).toHaveCount(before.versions.length + 2);
  await expect(versions.getByTestId(`version-row-${version + 2}`)).toContainText("revert");
  await expect(versions.getByTestId(`version-row-${version + 2}`)).toContainText("current");
  await expect(tasks).toHaveAttribute("data-version", String(version + 2));
  const after = await getJson<ArtifactVersionList>(page, `/api/environments/${LIBRARY}/artifacts/tasks`);
  expect(after.versions.map((entry) => entry.origin).slice(0, 2)).toEqual(["revert", "generate"]);
});
