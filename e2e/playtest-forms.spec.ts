import { expect, test, type Locator, type Page } from "@playwright/test";
import { chooseTool, startPlaytest } from "./support/playtest.ts";

// Issue 13 item 8: what a playtest's forms start with and what a Call really sends.
const LIBRARY = "maple_street_library_lending_desk";

/** Clicks Call and returns the argumentsJson the page sent. */
async function callAndCapture(page: Page, panel: Locator): Promise<{ argumentsJson: string; raw: boolean }> {
  const request = page.waitForRequest((candidate) => candidate.method() === "POST" && candidate.url().endsWith("/call"));
  await panel.getByTestId("call-button").click();
  return JSON.parse((await request).postData() ?? "{}") as { argumentsJson: string; raw: boolean };
}

test("the page opens on a read-only tool; optional fields start empty with the example as placeholder", async ({ page }) => {
  await startPlaytest(page, LIBRARY, 0);
  const opened = page.getByTestId("tool-panel");
  const name = await opened.getAttribute("data-tool");
  await expect(page.locator(`[data-testid=tool-item][data-tool="${name}"]`)).toHaveAttribute("data-changes-state", "false");

  const loans = await chooseTool(page, "list_my_loans");
  const status = loans.locator('[data-field="status"] input');
  await expect(status).toHaveValue("");
  await expect(status).toHaveAttribute("placeholder", "e.g. active");
  await loans.getByTestId("fill-examples").click();
  await expect(status).toHaveValue("active");
});

test("integers keep every digit: 9007199254740993 and 1e+23 are sent as those integers", async ({ page }) => {
  await startPlaytest(page, LIBRARY, 0);
  const renew = await chooseTool(page, "renew_loan");
  const loanId = renew.locator('[data-field="loan_id"] input');
  await loanId.fill("9007199254740993");
  await expect(renew.getByTestId("call-button")).toBeEnabled();
  const sent = await callAndCapture(page, renew);
  expect(sent).toEqual({ instance: expect.any(String), tool: "renew_loan", argumentsJson: '{"loan_id":9007199254740993}', raw: false });
  const step = page.locator('[data-testid=step-result][data-ordinal="0"]');
  await expect(step.getByTestId("step-arguments")).toHaveText('{"loan_id":9007199254740993}');

  await loanId.fill("1e+23");
  await renew.getByTestId("form-mode-json").click();
  await expect(renew.getByTestId("json-editor")).toHaveValue('{\n  "loan_id": 100000000000000000000000\n}');
  const big = await callAndCapture(page, renew);
  expect(big.argumentsJson).toBe('{"loan_id":100000000000000000000000}');
});

test("send raw: arguments the form refuses reach the environment, which answers for itself", async ({ page }) => {
  await startPlaytest(page, LIBRARY, 0);
  const renew = await chooseTool(page, "renew_loan");
  await renew.getByTestId("form-mode-json").click();
  await renew.getByTestId("json-editor").fill('{ "loan_id": "not-a-number", "loan_idd": 1.0 }');
  await expect(renew.getByTestId("field-error")).toContainText("expected an integer");
  await expect(renew.getByTestId("call-button")).toBeDisabled();

  await renew.getByTestId("form-mode-raw").click();
  await expect(renew.getByTestId("raw-note")).toBeVisible();
  await expect(renew.getByTestId("call-button")).toHaveText("Call raw");
  const sent = await callAndCapture(page, renew);
  expect(sent.raw).toBe(true);
  expect(sent.argumentsJson).toBe('{ "loan_id": "not-a-number", "loan_idd": 1.0 }');
  const step = page.locator('[data-testid=step-result][data-ordinal="0"]');
  await expect(step.getByTestId("response-status")).toHaveText("HTTP 422");
  await expect(step.getByTestId("step-arguments")).toContainText('"loan_idd":1.0');
});

test("a huge argument is shown cut with its length; steps and statuses read the same after a reload", async ({ page }) => {
  await startPlaytest(page, LIBRARY, 0);
  const loans = await chooseTool(page, "list_my_loans");
  await loans.getByTestId("form-mode-json").click();
  await loans.getByTestId("json-editor").fill(JSON.stringify({ status: "x".repeat(6000) }));
  await loans.getByTestId("call-button").click();
  const step = page.locator('[data-testid=step-result][data-ordinal="0"]');
  const shown = step.getByTestId("step-arguments");
  await expect(shown).toHaveAttribute("data-clipped", "true");
  await expect(shown).toContainText("more characters");
  expect((await shown.textContent())?.length ?? 0).toBeLessThan(1000);
  await shown.getByTestId("long-text-expand").click();
  await expect(shown).toHaveAttribute("data-clipped", "false");
  expect((await shown.textContent())?.length ?? 0).toBeGreaterThan(6000);

  const renew = await chooseTool(page, "renew_loan");
  await renew.locator('[data-field="loan_id"] input').fill("999999");
  await renew.getByTestId("call-button").click();
  const failed = page.locator('[data-testid=step-result][data-ordinal="1"]');
  await expect(failed.getByRole("heading").first()).toContainText("Step 2");
  const live = await failed.getByTestId("response-status").textContent();
  expect(live).toMatch(/^HTTP 4\d\d$/);
  await expect(page.locator('[data-testid=step-item][data-ordinal="1"]')).toContainText("2");

  await page.reload();
  await page.locator('[data-testid=step-item][data-ordinal="1"]').click();
  await expect(page.locator('[data-testid=step-result][data-ordinal="1"]').getByTestId("response-status")).toHaveText(live ?? "");
  await page.locator('[data-testid=step-item][data-ordinal="0"]').click();
  await expect(page.locator('[data-testid=step-result][data-ordinal="0"]').getByTestId("response-status")).toHaveText("ok");

  // The trajectory page numbers the same steps the same way and reads their status the same.
  const trajectoryId = await page.getByTestId("playtest-page").getAttribute("data-trajectory");
  await page.goto(`/trajectories/${trajectoryId}`);
  await expect(page.locator('[data-testid=step-row][data-ordinal="1"]')).toContainText("2");
  await page.locator('[data-testid=step-row][data-ordinal="1"]').click();
  await expect(page.getByTestId("step-detail").getByRole("heading").first()).toContainText("Step 2");
  await expect(page.getByTestId("step-detail").getByTestId("response-status")).toHaveText(live ?? "");
});
