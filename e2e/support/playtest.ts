import { expect, type Locator, type Page } from "@playwright/test";

/** Opens `/playtest/new?...` and waits for the session page it redirects to, its instance running. */
export async function startPlaytest(page: Page, environment: string, taskIdx: number): Promise<void> {
  await page.goto(`/playtest/new?env=${environment}&task=${taskIdx}`);
  await expect(page).toHaveURL(/\/playtest\/[^/?]+\?instance=[0-9a-f]+$/, { timeout: 20_000 });
  await expect(page.getByTestId("instance-status")).toHaveAttribute("data-status", "running");
}

/** Finds a tool by search and opens its panel. */
export async function chooseTool(page: Page, name: string): Promise<Locator> {
  await page.getByTestId("tool-search").fill(name);
  await page.locator(`[data-testid=tool-item][data-tool="${name}"]`).click();
  const panel = page.locator(`[data-testid=tool-panel][data-tool="${name}"]`);
  await expect(panel).toBeVisible();
  return panel;
}
