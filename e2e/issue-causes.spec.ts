import { expect, test } from "@playwright/test";
import { bearerHeaders } from "./support/studio.ts";

// Issue 13 items 4 and 5: a cut-off table is one problem on the Overview, its index, INSERTs and the
// table the code creates at start-up folded under it, each still linking to its exact place.
const BIKES = "spoke_chain_bike_repair_tickets";

test("the Overview shows a cut-off table as one problem whose consequences each open their place", async ({ page, request }) => {
  // An instance start is what reveals the table the code's create_all makes.
  const started = await request.post("/api/instances", { data: { environment: BIKES }, headers: bearerHeaders() });
  expect(started.ok(), await started.text()).toBe(true);
  const { id } = (await started.json()) as { id: string };
  await request.delete(`/api/instances/${id}`, { headers: bearerHeaders() });

  await page.goto(`/environments/${BIKES}`);
  const schema = page.getByTestId("issue-group-schema");
  await expect(schema).toContainText("+6 following from them");
  await expect(page.getByTestId("issue-group-seed")).toHaveCount(0);
  const problem = schema.getByTestId("problem").filter({ hasText: "CREATE TABLE ticket_notes is cut off" });
  await expect(problem).toHaveCount(1);
  const consequences = problem.getByTestId("issue-consequences");
  await expect(consequences).toContainText("6 consequences of this problem");
  await consequences.locator("summary").click();
  const listed = consequences.getByTestId("issue");
  await expect(listed).toHaveCount(6);
  await expect(listed.filter({ hasText: "created by the code at start-up" })).toContainText(
    "ticket_notes: broken in the schema, created by the code at start-up with columns id INTEGER PRIMARY KEY NOT NULL, ticket_id INTEGER NOT NULL",
  );
  await page.getByTestId("issue-groups").screenshot({ path: "test-results/overview-issue-causes.png" });

  await listed.filter({ hasText: "insert_statements[2]" }).getByTestId("issue-link").click();
  await expect(page).toHaveURL(/tab=data/);
  const url = new URL(page.url());
  expect(url.searchParams.get("table")).toBe("ticket_notes");
  expect(url.searchParams.get("statement")).toBe("2");
});
