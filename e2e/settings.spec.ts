import { expect, test } from "@playwright/test";

test("settings show whether environment code can run here, sandboxed", async ({ page }) => {
  await page.goto("/settings");
  const card = page.getByTestId("runtime-card");
  await expect(card.getByTestId("runtime-ready")).toHaveText("ready, sandboxed");
  await expect(card).toContainText("/usr/bin/python3");
  await expect(card).toContainText(/fastapi \d/);
  await expect(card.getByTestId("runtime-advice")).toHaveCount(0);
});
