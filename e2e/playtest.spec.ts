import { expect, test, type Locator, type Page } from "@playwright/test";
import { chooseTool, startPlaytest } from "./support/playtest.ts";
import { REAL_SAMPLES_SKIP_REASON, realSamplesImported } from "./support/studio.ts";

// library/README.md, environment A task 0: renew the loan of copy MS-000412 to 2026-03-24.
const LIBRARY = "maple_street_library_lending_desk";

async function callAndWaitForStep(page: Page, panel: Locator, ordinal: number): Promise<Locator> {
  await panel.getByTestId("call-button").click();
  const result = page.locator(`[data-testid=step-result][data-ordinal="${ordinal}"]`);
  await expect(result).toBeVisible();
  return result;
}

test("playtest a library task: call a writing tool, see the row change, finish, get the verdict", async ({ page }) => {
  await startPlaytest(page, LIBRARY, 0);
  await expect(page.getByTestId("playtest-task")).toContainText("MS-000412");
  // The playtest's address without its instance finds the instance that records it.
  const played = new URL(page.url());
  await page.goto(played.pathname);
  await expect(page).toHaveURL(`${played.pathname}${played.search}`);
  await expect(page.getByTestId("playtest-task")).toContainText("MS-000412");
  await expect(page.locator('[data-testid=tool-item][data-tool="renew_loan"]')).toHaveAttribute("data-changes-state", "true");
  await expect(page.locator('[data-testid=tool-item][data-tool="list_my_loans"]')).toHaveAttribute("data-changes-state", "false");

  // Look the loan up the way a player would: list the active loans and read the response.
  const list = await chooseTool(page, "list_my_loans");
  await expect(list.locator('[data-field="status"] input')).toHaveValue(""); // optional: its example is only a placeholder
  const listed = await callAndWaitForStep(page, list, 0);
  await expect(listed.getByTestId("response-status")).toHaveText("ok");
  await expect(listed.getByTestId("diff-step")).toHaveAttribute("data-empty", "true");
  const body = JSON.parse((await listed.getByTestId("response-body").textContent()) ?? "null") as { loans?: Record<string, unknown>[] } | null;
  const loan = (body?.loans ?? []).find((candidate) => JSON.stringify(candidate).includes("MS-000412"));
  expect(loan, "list_my_loans shows the loan of MS-000412").toBeTruthy();
  const loanId = String(loan?.id ?? loan?.loan_id);

  // A wrong argument type is caught in the form; the JSON view shows the same arguments.
  const renew = await chooseTool(page, "renew_loan");
  const loanField = renew.locator('[data-field="loan_id"] input');
  await loanField.fill("4.5");
  await expect(renew.getByTestId("field-error")).toContainText("expected a whole number");
  await expect(renew.getByTestId("call-button")).toBeDisabled();
  await loanField.fill(loanId);
  await renew.getByTestId("form-mode-json").click();
  await expect(renew.getByTestId("json-editor")).toHaveValue(`{\n  "loan_id": ${loanId}\n}`);
  await renew.getByTestId("json-editor").fill('{ "loan_id": ');
  await expect(renew.getByTestId("json-error")).toContainText("line 1, column 14");
  await renew.getByTestId("json-editor").fill(`{ "loan_id": ${loanId} }`);
  await renew.getByTestId("form-mode-form").click();
  await expect(loanField).toHaveValue(loanId);

  const renewed = await callAndWaitForStep(page, renew, 1);
  await expect(renewed.getByTestId("response-body")).toContainText("2026-03-24");
  const dueDate = renewed.locator('[data-testid=diff-step] [data-testid=diff-table][data-table="loans"] [data-testid=diff-changed-cell][data-column="due_date"]');
  await expect(dueDate).toContainText("2026-03-10");
  await expect(dueDate).toContainText("2026-03-24");
  // The change leads the row (after the key), not the columns the call left alone.
  const headers = await renewed.locator('[data-testid=diff-step] [data-testid=diff-table][data-table="loans"] th').allTextContents();
  expect(headers.slice(0, 3)).toEqual(["", "id", "due_date"]);
  await renewed.getByTestId("diff-scope-cumulative").click();
  await expect(renewed.locator('[data-testid=diff-cumulative] [data-testid=diff-table][data-table="loans"]')).toBeVisible();

  // Earlier steps keep their own response and diff.
  await expect(page.getByTestId("step-item")).toHaveCount(2);
  await page.locator('[data-testid=step-item][data-ordinal="0"]').click();
  await expect(page.locator('[data-testid=step-result][data-ordinal="0"] [data-testid=diff-step]')).toHaveAttribute("data-empty", "true");

  await page.getByTestId("final-answer").fill("Your loan of MS-000412 is renewed; it is now due 2026-03-24.");
  await page.getByTestId("finish-button").click();
  const finished = page.getByTestId("finished");
  await expect(finished).toBeVisible({ timeout: 20_000 });
  await expect(finished.getByTestId("verdict-card")).toHaveAttribute("data-classification", "complete");
  // Finished, not broken: no instance badge (its instance stopped with it), no tool list to search.
  await expect(page.getByTestId("playtest-finished")).toBeVisible();
  await expect(page.getByTestId("instance-status")).toHaveCount(0);
  await expect(page.getByTestId("tool-item")).toHaveCount(0);
  await expect(page.getByText("No tool matches")).toHaveCount(0);
  await expect(page.getByTestId("reset-button")).toBeDisabled();
  await expect(page.getByTestId("call-button")).toHaveCount(0);

  // The session survives a reload: same steps, same verdict.
  await page.reload();
  await expect(page.getByTestId("step-item")).toHaveCount(3);
  await expect(page.getByTestId("finished").getByTestId("verdict-card")).toHaveAttribute("data-classification", "complete");
  await expect(page.getByTestId("playtest-finished")).toBeVisible();
  await expect(page.getByText("No tool matches")).toHaveCount(0);
});

test("gofundme: the shadowed recurring-pledge tool is marked, and the diff shows what really ran", async ({ page }) => {
  test.skip(!realSamplesImported(), REAL_SAMPLES_SKIP_REASON);
  // Task 5 asks for a recurring monthly pledge; its tool's route is answered by the one-time handler.
  await startPlaytest(page, "gofundme", 5);
  await expect(page.locator('[data-testid=tool-item][data-tool="create_recurring_donation_intent"] [data-testid=tool-shadowed]')).toBeVisible();
  const tool = await chooseTool(page, "create_recurring_donation_intent");
  await expect(tool.getByTestId("tool-warning")).toContainText("requests reach create_one_time_donation_intent's handler");
  await expect(tool.locator('[data-field="campaign_title"] input')).toHaveValue("Wildfire Relief for Sonoma");
  await expect(tool.locator('[data-field="interval_unit"] input')).toHaveValue("month");

  const result = await callAndWaitForStep(page, tool, 0);
  const inserted = result.locator('[data-testid=diff-step] [data-testid=diff-table][data-table="donation_intents"] [data-testid=diff-row][data-kind="inserted"]');
  await expect(inserted).toHaveCount(1);
  await expect(inserted).toContainText("one_time");

  await page.getByTestId("final-answer").fill("Set up a monthly pledge of 20 USD.");
  await page.getByTestId("finish-button").click();
  await expect(page.getByTestId("finished").getByTestId("verdict-card")).toHaveAttribute("data-classification", "others", { timeout: 20_000 });
});

test("a call the environment fails with 500 shows its traceback, on the playtest and the trajectory page", async ({ page }) => {
  await startPlaytest(page, LIBRARY, 0);
  const renew = await chooseTool(page, "renew_loan");
  // More than SQLite's INTEGER holds: the environment's query raises OverflowError.
  await renew.locator('[data-field="loan_id"] input').fill("100000000000000000000000");
  const failed = await callAndWaitForStep(page, renew, 0);
  await expect(failed.getByTestId("response-status")).toHaveText("HTTP 500");
  await expect(failed.getByTestId("response-body")).toHaveText('{\n  "detail": "Internal Server Error"\n}');
  const traceback = failed.getByTestId("step-traceback");
  await traceback.locator("summary").click();
  await expect(traceback.locator("pre")).toContainText("OverflowError: Python int too large to convert to SQLite INTEGER");
  await expect(traceback.getByTestId("step-traceback-truncated")).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath("playtest-traceback.png"), fullPage: true });

  const trajectoryId = /\/playtest\/([^/?]+)/.exec(page.url())?.[1];
  await page.goto(`/trajectories/${trajectoryId}`);
  const detail = page.getByTestId("step-detail");
  await expect(detail.getByTestId("step-result")).toHaveText('HTTP 500: {"detail":"Internal Server Error"}');
  await detail.getByTestId("step-traceback").locator("summary").click();
  await expect(detail.getByTestId("step-traceback").locator("pre")).toContainText("OverflowError");
  await page.screenshot({ path: test.info().outputPath("trajectory-traceback.png"), fullPage: true });
});
