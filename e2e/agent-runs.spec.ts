import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { MODEL_REFUSES_TASK, SCRIPTED_AGENT_ANSWER } from "./support/scripted-llm-model.ts";
import { studioToken } from "./support/studio.ts";

// The scripted agent model (e2e/support/scripted-llm-model.ts) lists the tools, reads the active
// loans, then answers, about a second per turn.
const LIBRARY = "maple_street_library_lending_desk";

test("run the agent on a task: its turns arrive one by one, then the verdict; the trajectory shows model text and parsed calls", async ({ page }) => {
  await page.goto(`/environments/${LIBRARY}?tab=tasks`);
  await page.getByTestId("task-run-agent-link").first().click();
  await expect(page.getByTestId("run-agent-page")).toBeVisible();
  await expect(page.getByTestId("agent-task")).not.toBeEmpty();
  await page.getByTestId("run-agent-button").click();

  const steps = page.getByTestId("live-step");
  await expect(steps).toHaveCount(1);
  await expect(steps.first()).toContainText("list_tools");
  await expect(page.getByTestId("stop-agent-button")).toBeVisible();
  await expect(page.getByTestId("live-result")).toHaveCount(0);
  await expect(steps).toHaveCount(2);
  await expect(steps.nth(1).getByTestId("live-step-call")).toContainText('list_my_loans {"status":"active"}');
  await expect(steps.nth(1).getByTestId("live-step-text")).toContainText("<tool_call>");
  await expect(steps).toHaveCount(3);
  await expect(steps.nth(2)).toHaveAttribute("data-final", "true");
  await expect(steps.nth(2)).toContainText(SCRIPTED_AGENT_ANSWER);
  await expect(page.getByTestId("live-result")).toHaveAttribute("data-status", "final");
  await expect(page.getByTestId("stop-agent-button")).toHaveCount(0);

  await page.getByTestId("live-trajectory-link").click();
  await page.locator('[data-testid=step-row][data-ordinal="1"]').click();
  await expect(page).toHaveURL(/\?step=2$/);
  await expect(page.getByTestId("step-detail")).toContainText("Model text");
  await expect(page.getByTestId("step-detail")).toContainText("Parsed call");
  await expect(page.getByTestId("step-model-call")).toBeVisible();
  // The model call leads back to the step it answered.
  await page.getByTestId("step-model-call").getByRole("link", { name: "LLM call" }).click();
  await expect(page.getByTestId("llm-call-used-by")).toHaveText(/^step 2 · task #\d+$/);
  // Back returns to the step it left, not to the first.
  await page.goBack();
  await expect(page.getByTestId("step-detail")).toHaveAttribute("data-ordinal", "1");
  await page.goForward();
  await page.getByTestId("llm-call-used-by").click();
  await expect(page.getByTestId("step-detail")).toHaveAttribute("data-ordinal", "1");
});

test("a reload during a run asks first, stops the run, and the page still leads to it", async ({ page }) => {
  await page.goto(`/agent-runs/new?env=${LIBRARY}&task=1`);
  await page.getByTestId("run-agent-button").click();
  await expect(page.getByTestId("live-step")).toHaveCount(1);
  await expect(page).toHaveURL(/[?&]run=[^&]+/);
  const run = new URL(page.url()).searchParams.get("run");
  let asked = false;
  page.once("dialog", (dialog) => {
    asked = dialog.type() === "beforeunload";
    void dialog.accept();
  });
  await page.reload();
  expect(asked).toBe(true);
  await expect(page.getByTestId("earlier-run").getByRole("link", { name: "Open trajectory" })).toHaveAttribute("href", `/trajectories/${run}`);
  await expect(page.getByTestId("earlier-run").getByTestId("agent-end")).toHaveText("stopped before its end", { timeout: 15_000 });
});

test("a task the environment does not have is named before anything runs", async ({ page }) => {
  await page.goto(`/agent-runs/new?env=${LIBRARY}&task=99`);
  await expect(page.getByText(/has no task 99 \(its tasks are 0\.\.\d+\)/)).toBeVisible();
  await expect(page.getByTestId("run-agent-button")).toBeDisabled();
});

test("a remembered form value out of bounds, or of another shape, is not used: the form opens with its defaults", async ({ page }) => {
  await page.addInitScript(() => {
    window.localStorage.setItem("awm-studio.rollout-size", JSON.stringify({ group: 999, concurrency: 2 }));
    window.localStorage.setItem("awm-studio.agent-settings", "{not json");
  });
  await page.goto(`/rollouts/new?env=${LIBRARY}`);
  await expect(page.getByTestId("rollout-group")).toHaveValue("4");
  await expect(page.getByTestId("agent-max-turns")).toHaveValue("30");
  await expect(page.getByTestId("field-problems")).toHaveCount(0);
});

test("Stop ends a live run before its next turn, and its trajectory says it was stopped", async ({ page }) => {
  await page.goto(`/agent-runs/new?env=${LIBRARY}&task=1`);
  await page.getByTestId("run-agent-button").click();
  await expect(page.getByTestId("live-step")).toHaveCount(1);
  await page.getByTestId("stop-agent-button").click();
  await expect(page.getByTestId("live-result")).toHaveAttribute("data-status", "stopped");
  await expect(page.getByTestId("live-step")).toHaveCount(2);
  // Its verdict judged a run cut short, and its page says so.
  await page.getByTestId("live-trajectory-link").click();
  await expect(page.getByTestId("agent-end")).toHaveText("stopped before its end");
});

test("a run whose model endpoint fails ends as an infrastructure failure, and its trajectory says why", async ({ page }) => {
  await page.goto(`/agent-runs/new?env=${LIBRARY}&task=${MODEL_REFUSES_TASK}`);
  await page.getByTestId("run-agent-button").click();
  await expect(page.getByTestId("live-result")).toHaveAttribute("data-status", "infra_failure");
  await expect(page.getByTestId("live-result")).toContainText("infrastructure failure after 0 turns");
  await page.getByTestId("live-trajectory-link").click();
  await expect(page.getByTestId("agent-end")).toHaveText("infrastructure failure");
  await expect(page.getByTestId("trajectory-reward")).toHaveText("reward — (infrastructure failure)");
  await expect(page.getByTestId("error-box")).toContainText(`the test model refuses task ${MODEL_REFUSES_TASK}`);
});

test("launch a rollout group from the environment and read its grid, histogram and tool usage", async ({ page }) => {
  test.setTimeout(60_000); // a whole journey: the form, three episodes played and judged, results, a trajectory, compare
  await page.goto(`/environments/${LIBRARY}`);
  await page.getByTestId("environment-rollouts-link").click();
  const tasks = page.getByTestId("rollout-tasks").locator("input[type=checkbox]");
  await expect(tasks.first()).toBeChecked();
  const count = await tasks.count();
  for (let index = 1; index < count; index++) await tasks.nth(index).uncheck();
  // Typing is not corrected keystroke by keystroke, nor replaced: a value out of range stays as typed, marked, and holds the launch back, saying why.
  const group = page.getByTestId("rollout-group");
  const launch = page.getByTestId("launch-rollouts");
  await group.fill("");
  await expect(group).toHaveValue("");
  await expect(group).toHaveAttribute("aria-invalid", "true");
  await expect(launch).toBeDisabled();
  await expect(page.getByTestId("field-problems")).toHaveText("Group size: a whole number from 1 to 64");
  await group.pressSequentially("12");
  await expect(launch).toHaveText("Launch 12 episodes");
  await expect(page.getByTestId("field-problems")).toHaveCount(0);
  await group.fill("99");
  await group.blur();
  await expect(group).toHaveValue("99");
  await expect(launch).toBeDisabled();
  await page.getByTestId("agent-temperature").fill("5");
  await expect(page.getByTestId("field-problems").locator("li")).toHaveText(["Group size: a whole number from 1 to 64", "Temperature: a number from 0 to 2"]);
  await page.getByTestId("agent-temperature").fill("1");
  // What the browser cannot read as a number ("1e") is not an empty field, which here means "whole history".
  await page.getByTestId("agent-history-window").pressSequentially("1e");
  await expect(page.getByTestId("field-problems").locator("li")).toHaveText(["Group size: a whole number from 1 to 64", "History window: a whole number from 1 up, or empty"]);
  await page.getByTestId("agent-history-window").fill("");
  await group.fill("3");
  await expect(launch).toHaveText("Launch 3 episodes");
  await launch.click();

  await expect(page.getByTestId("rollout-results")).toHaveAttribute("data-status", "finished", { timeout: 30_000 });
  await expect(page.getByTestId("rollout-cell")).toHaveCount(3);
  await expect(page.getByTestId("rollout-models")).toHaveText("scripted");
  await expect(page.getByTestId("rollout-legend")).toContainText("format error \u22121.0");
  await expect(page.getByTestId("reward-histogram").first().locator("svg .recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByTestId("tool-usage")).toContainText("list_my_loans");
  // Picking a task draws its own histogram on the job's reward axis and narrows tool usage to it.
  await expect(page.getByTestId("tool-usage-heading")).toHaveText("Tool usage, every task");
  await page.getByTitle("Show this task's reward histogram and tool usage").first().click();
  await expect(page.getByTestId("reward-histogram")).toHaveCount(2);
  await expect(page.getByTestId("reward-histogram").nth(1)).toHaveAttribute("data-bins", (await page.getByTestId("reward-histogram").first().getAttribute("data-bins")) ?? "");
  await expect(page.getByTestId("tool-usage-heading")).toHaveText(/^Tool usage, task #\d+$/);
  await expect(page).toHaveURL(/\?task=\d+$/);
  await page.reload();
  await expect(page.getByTestId("tool-usage-heading")).toHaveText(/^Tool usage, task #\d+$/);
  await expect(page.getByTestId("tool-usage")).toContainText("list_my_loans");
  const results = page.url();
  await page.getByTestId("rollout-cell").first().click();
  await expect(page).toHaveURL(/\/trajectories\//);
  await expect(page.getByTestId("trajectory-rollout-job")).toHaveAttribute("href", new URL(results).pathname);
  // Two rollouts side by side say which is which.
  await page.goto(results);
  await page.getByRole("link", { name: "compare" }).click();
  await expect(page.getByTestId("compare-side-link")).toHaveCount(2);
  await expect(page.getByTestId("compare-side-link").first()).toContainText(/rollout #[012]/);
  await expect(page.getByTestId("compare-side-link").nth(1)).toContainText(/rollout #[012]/);
  // Any pair of the task's rollouts can be put side by side, and Back returns to the pair before.
  const before = new URL(page.url());
  const shown = [before.searchParams.get("a"), before.searchParams.get("b")];
  const options = await page.getByTestId("compare-pick-b").locator("option").evaluateAll((elements) => elements.map((option) => ({ value: (option as HTMLOptionElement).value, label: option.textContent ?? "" })));
  const { value: other, label } = options.find(({ value }) => !shown.includes(value)) ?? { value: "", label: "" };
  await page.getByTestId("compare-pick-b").selectOption(other);
  await expect(page).toHaveURL(new RegExp(`b=${other}$`));
  await expect(page.getByTestId("compare-side-link").nth(1)).toContainText(/rollout #\d/.exec(label)?.[0] ?? "?");
  await page.goBack();
  await expect(page).toHaveURL(before.href);
  // The form opens again with what was last launched from it.
  await page.goto(`/rollouts/new?env=${LIBRARY}`);
  await expect(page.getByTestId("rollout-group")).toHaveValue("3");
  await expect(page.getByTestId("agent-temperature")).toHaveValue("1");
});

test("a call from outside the page is a step of the playtest; the Instances page lists its instance with the MCP URL and token to copy, and stops it", async ({ page, context, request, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto(`/playtest/new?env=${LIBRARY}&task=0`);
  await expect(page.getByTestId("playtest-page")).toBeVisible();
  await expect(page.getByTestId("mcp-url")).toContainText("/mcp");
  const instanceId = /\/api\/instances\/([^/]+)\/mcp/.exec((await page.getByTestId("mcp-url").textContent()) ?? "")?.[1];
  const called = await request.post(`/api/instances/${instanceId}/call`, { data: { tool: "list_my_loans", arguments: { status: "active" } } });
  expect(called.status()).toBe(200);
  await expect(page.getByTestId("step-item")).toHaveCount(1);
  await expect(page.getByTestId("step-item").first()).toContainText("list_my_loans");
  const trajectory = await page.getByTestId("playtest-page").getAttribute("data-trajectory");
  await page.getByTestId("nav-instances").click();
  const row = page.locator("tr", { has: page.locator(`[data-testid=instance-episode]`, { hasText: trajectory ?? "" }) });
  await expect(row).toHaveAttribute("data-status", "running");
  await expect(row.getByTestId("mcp-url")).toContainText("/api/instances/");
  // What the row copies is what an outside agent needs: the URL, and a token that opens it (and, as
  // the gate's tests show, nothing else), used here by the SDK's own client.
  await row.getByTestId("copy-mcp-url").click();
  const copiedUrl = await page.evaluate(() => navigator.clipboard.readText());
  await row.getByTestId("copy-mcp-token").click();
  await expect(row.getByTestId("copy-mcp-token")).toHaveText("Copied");
  const copiedToken = await page.evaluate(() => navigator.clipboard.readText());
  expect(copiedToken).not.toBe(studioToken());
  const agent = new Client({ name: "e2e-copied", version: "1.0.0" });
  await agent.connect(new StreamableHTTPClientTransport(new URL(copiedUrl), { requestInit: { headers: { authorization: `Bearer ${copiedToken}` } } }));
  await agent.callTool({ name: "list_my_loans", arguments: { status: "active" } });
  await agent.close();
  const outsider = await playwrightRequest.newContext({ baseURL });
  expect((await outsider.get(`/api/instances/${instanceId}/mcp-token`, { headers: { authorization: `Bearer ${copiedToken}` } })).status()).toBe(401);
  await outsider.dispose();
  await row.getByTestId("instance-episode").click();
  await expect(page.getByTestId("step-item")).toHaveCount(2);
  await page.getByTestId("nav-instances").click();
  await row.getByTestId("stop-instance").click();
  await expect(row).toHaveAttribute("data-status", "stopped");
});

test("the Jobs page says when a rollout job's episodes were infrastructure failures, beside its status", async ({ page, request }) => {
  const launched = await request.post("/api/rollouts", { data: { environment: LIBRARY, tasks: [MODEL_REFUSES_TASK], group: 2, concurrency: 1, settings: {} } });
  expect(launched.status(), await launched.text()).toBe(200);
  const { jobId } = (await launched.json()) as { jobId: string };
  await expect.poll(async () => ((await (await request.get(`/api/rollouts/${jobId}`)).json()) as { report: { summary: { status: string } } }).report.summary.status, { timeout: 30_000 }).toBe("finished");
  await page.goto("/jobs");
  const job = page.getByTestId(`job-${jobId}`);
  await expect(job.getByTestId("job-infra-failures")).toHaveText("infrastructure failures: 2 of 2 episodes");
});

test("a rollout job whose model endpoint keeps failing stops after 3 episodes in a row, says why, and Resume plays them again", async ({ page, request }) => {
  const launched = await request.post("/api/rollouts", { data: { environment: LIBRARY, tasks: [MODEL_REFUSES_TASK], group: 6, concurrency: 1, settings: { onMalformed: "feedback" } } });
  expect(launched.status(), await launched.text()).toBe(200);
  const { jobId } = (await launched.json()) as { jobId: string };
  type Report = { report: { summary: { status: string; finished: number }; tasks: { rollouts: { trajectoryId: string }[] }[] } };
  const report = async () => ((await (await request.get(`/api/rollouts/${jobId}`)).json()) as Report).report;
  await expect.poll(async () => (await report()).summary.status, { timeout: 30_000 }).toBe("failed");
  const first = await report();
  expect(first.summary.finished).toBe(3);
  const firstIds = first.tasks.flatMap((task) => task.rollouts.map((rollout) => rollout.trajectoryId));

  await page.goto(`/rollouts/${jobId}`);
  await expect(page.getByText(/the agent model's endpoint failed 3 episodes in a row/)).toBeVisible();
  await expect(page.getByTestId("rollout-settings")).toContainText("malformed calls go back to the model");
  await page.getByTestId("rollout-resume").click();
  // The endpoint still refuses: the job stops again, its earlier failures replaced by the new attempts.
  await expect.poll(async () => {
    const again = await report();
    const ids = again.tasks.flatMap((task) => task.rollouts.map((rollout) => rollout.trajectoryId));
    return again.summary.status === "failed" && ids.length === 3 && ids.every((id) => !firstIds.includes(id));
  }, { timeout: 30_000 }).toBe(true);

  await page.goto("/jobs");
  await expect(page.getByTestId(`job-${jobId}`).getByTestId("job-infra-failures")).toHaveText("infrastructure failures: 3 of 3 episodes");
});
