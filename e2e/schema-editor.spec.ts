import { expect, test } from "@playwright/test";

// Issue 13 item 11: a schema is edited table by table as SQL; a broken table's issue opens it there.
const BIKES = "spoke_chain_bike_repair_tickets";

test("the broken table's issue opens the schema editor at that table, as SQL", async ({ page }) => {
  await page.goto(`/environments/${BIKES}`);
  const issue = page.getByTestId("issue-group-schema").getByTestId("issue").filter({ hasText: "ticket_notes" }).first();
  await issue.getByTestId("issue-link").click();
  await expect(page).toHaveURL(/tab=pipeline&edit=schema&table=ticket_notes/);
  const editor = page.getByTestId("artifact-editor");
  await expect(editor).toHaveAttribute("data-kind", "schema");
  await expect(editor).toHaveAttribute("data-document", "ticket_notes");
  await expect(editor.locator('[data-testid=editor-document][data-document="ticket_notes"]')).toHaveAttribute("aria-current", "true");
  const monaco = editor.getByTestId("artifact-monaco");
  await expect(monaco.locator(".monaco-editor")).toBeVisible({ timeout: 20_000 });
  await expect(monaco.locator("[data-mode-id]").first()).toHaveAttribute("data-mode-id", "sql");
  await expect(monaco.locator(".view-lines")).toContainText("CREATE TABLE ticket_notes");
  await expect(monaco.locator(".view-lines")).toContainText("-- indexes");
  await expect(monaco.locator(".view-lines")).not.toContainText("\\n");

  // Another table is one click away, with its own SQL.
  await editor.locator('[data-testid=editor-document][data-document="bikes"]').click();
  await expect(editor).toHaveAttribute("data-document", "bikes");
  await expect(editor.getByTestId("artifact-monaco").locator(".view-lines")).toContainText("CREATE TABLE bikes", { timeout: 20_000 });
});

test("the Schema tab links a broken table to its SQL in the editor", async ({ page }) => {
  await page.goto(`/environments/${BIKES}?tab=schema`);
  await page.getByTestId("edit-table-sql").first().click();
  await expect(page).toHaveURL(/tab=pipeline&edit=schema&table=ticket_notes/);
  await expect(page.getByTestId("artifact-editor")).toHaveAttribute("data-document", "ticket_notes");
});

test("Edit on a broken schema stage opens the editor at the table of its first problem", async ({ page }) => {
  await page.goto(`/environments/${BIKES}?tab=pipeline&stage=schema`);
  await expect(page.getByTestId("stage-detail")).toHaveAttribute("data-stage", "schema");
  await page.getByTestId("edit-artifact").click();
  await expect(page.getByTestId("artifact-editor")).toHaveAttribute("data-document", "ticket_notes");
});
