import { expect, test } from "@playwright/test";

test("the home page renders its library without console errors", async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));

  const response = await page.goto("/");
  expect(response?.status()).toBeLessThan(400);
  await expect(page.getByRole("heading").first()).toBeVisible();
  // The Library page marks itself ready once its rows are rendered.
  await page.waitForFunction(() => document.body.dataset.libraryReady === "true");
  expect(consoleErrors).toEqual([]);
});
