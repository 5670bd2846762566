import { expect, test } from "@playwright/test";

// Starter library environment (library/README.md).
const LIBRARY = "maple_street_library_lending_desk";

test("datasets: a finished playtest is counted with its reward, and the chosen format downloads", async ({ page }) => {
  const started = await page.request.post("/api/playtest", { data: { environment: LIBRARY, taskIdx: 0 } });
  expect(started.ok()).toBe(true);
  const { trajectoryId, instanceId } = (await started.json()) as { trajectoryId: string; instanceId: string };
  const finished = await page.request.post(`/api/playtest/${trajectoryId}/finish`, { data: { instance: instanceId, finalAnswer: "Nothing done." } });
  expect(finished.ok()).toBe(true);
  const { verdict } = (await finished.json()) as { verdict: { reward: number } };

  await page.goto("/datasets");
  await page.getByTestId("datasets-envs").selectOption([LIBRARY]);
  const counts = page.getByTestId("datasets-counts");
  await expect(counts).toContainText(/\d+\s*runs/);
  const histogram = page.getByTestId("reward-histogram");
  await expect(histogram).not.toHaveAttribute("data-bins", "0");
  await expect(histogram).toContainText(String(verdict.reward));

  await page.getByTestId("datasets-format").selectOption("openai");
  const href = await page.getByTestId("datasets-download").getAttribute("href");
  // The pick travels as a saved selection's id, never as names (a thousand of them would not fit in a URL).
  expect(href).toMatch(/selection=[0-9a-f]{24}/);
  const download = await page.request.get(href ?? "");
  expect(download.ok()).toBe(true);
  expect(download.headers()["content-disposition"]).toMatch(/runs\.openai\.jsonl/);
  const rows = (await download.text()).trim().split("\n").map((line) => JSON.parse(line) as { trajectory_id: string; messages: { role: string }[] });
  const row = rows.find((candidate) => candidate.trajectory_id === trajectoryId);
  expect(row?.messages.map((message) => message.role).slice(0, 2)).toEqual(["system", "user"]);

  await page.getByTestId("datasets-format").selectOption("verl");
  const parquet = await page.request.get((await page.getByTestId("datasets-download").getAttribute("href")) ?? "");
  expect(Buffer.from(await parquet.body()).subarray(0, 4).toString()).toBe("PAR1");
});

test("the library's selection opens in Datasets as one saved selection", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("select-shown").click();
  const selected = Number(/^(\d+) selected$/.exec((await page.getByTestId("selection-count").innerText()).trim())?.[1]);
  expect(selected).toBeGreaterThan(1);
  await page.getByTestId("selection-datasets").click();
  await expect(page).toHaveURL(/\/datasets\?selection=[0-9a-f]{24}$/);
  await expect(page.getByTestId("datasets-selected")).toHaveText(`${selected} environments selected`);
  await expect(page.getByTestId("datasets-envs").locator("option:checked")).toHaveCount(selected);
});
