import { expect, test } from "@playwright/test";

test("settings show whether environment code can run here, sandboxed", async ({ page }) => {
  await page.goto("/settings");
  const card = page.getByTestId("runtime-card");
  await expect(card.getByTestId("runtime-ready")).toHaveText("ready, sandboxed");
  await expect(card).toContainText("/usr/bin/python3");
  await expect(card).toContainText(/fastapi \d/);
  await expect(card.getByTestId("runtime-advice")).toHaveCount(0);
  // Every resource limit is listed with how it is enforced; on this machine (cgroups, bwrap --size) all are on.
  const limits = card.getByTestId("runtime-limits").locator("li");
  await expect(limits.filter({ hasText: "processes" }).first()).toHaveAttribute("data-enforced", "true");
  await expect(limits.filter({ hasText: "memory of the process tree" })).toContainText("cgroup");
  await expect(card.getByTestId("runtime-limits").locator('li[data-enforced="false"]')).toHaveCount(0);
});

test("the connection test offers the first role with a model, names unsaved edits it cannot see, and shows the model's answer", async ({ page }) => {
  await page.goto("/settings");
  // The e2e studio has generator and agent models from its environment, no judge model.
  await expect(page.getByTestId("settings-test-role")).toHaveValue("generator");
  await expect(page.getByTestId("settings-test-unsaved")).toHaveCount(0);
  await page.getByTestId("settings-model-judge").fill("another-model");
  await expect(page.getByTestId("settings-test-unsaved")).toContainText("unsaved changes");
  await page.getByTestId("settings-model-judge").fill("");
  await expect(page.getByTestId("settings-test-unsaved")).toHaveCount(0);
  await page.getByTestId("settings-test-role").selectOption("agent");
  await page.getByTestId("settings-test").click();
  await expect(page.getByTestId("settings-test-result")).toContainText(/ok: scripted answered in \d+ ms: “ok”/);

  // Saving keeps the form as it is (the role picked, the test's answer) and says so; the judge model is cleared again after.
  await page.getByTestId("settings-model-judge").fill("scripted");
  await page.getByTestId("settings-save").click();
  await expect(page.getByTestId("settings-saved")).toBeVisible();
  await expect(page.getByTestId("settings-model-judge")).toHaveValue("scripted");
  await expect(page.getByTestId("settings-test-role")).toHaveValue("agent");
  await expect(page.getByTestId("settings-test-result")).toContainText("ok: scripted");
  await page.getByTestId("settings-model-judge").fill("");
  await expect(page.getByTestId("settings-saved")).toHaveCount(0);
  await page.getByTestId("settings-save").click();
  await expect(page.getByTestId("settings-saved")).toBeVisible();
});
