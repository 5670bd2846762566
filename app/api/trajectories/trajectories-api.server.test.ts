/**
 * The trajectory routes called as Next calls them (web Request in, Response out): an unknown id is
 * a 404 naming it on every route, answered by the lib function's own lookup; verify answers the
 * stored verdict, and a judge error beside a good verdict leaves the good one standing.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { useTempStudioHome } from "../../../lib/testing/temp-home.ts";

useTempStudioHome("awm-trajectories-api-");
const { closeStudioDb } = await import("../../../lib/store/db.ts");
const { addVerdict, createTrajectory, finishTrajectory, getTrajectory } = await import("../../../lib/trajectories/store.ts");
const detailRoute = await import("./[id]/route.ts");
const replayRoute = await import("./[id]/replay/route.ts");
const verifyRoute = await import("./[id]/verify/route.ts");
const reviewRoute = await import("./[id]/review/route.ts");
const stepRoute = await import("./[id]/steps/[ordinal]/route.ts");

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "awm-trajectories-api-dbs-"));

after(async () => {
  await closeStudioDb();
  fs.rmSync(scratch, { recursive: true, force: true });
});

type Handler = (request: Request, arg: { params: Promise<Record<string, string>> }) => Promise<Response>;

function call(handler: Handler, url: string, params: Record<string, string>, body?: unknown): Promise<Response> {
  const init = body === undefined ? {} : { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } };
  return handler(new Request(`http://studio.test${url}`, init), { params: Promise.resolve(params) });
}

async function errorOf(response: Response): Promise<{ status: number; message: string }> {
  return { status: response.status, message: ((await response.json()) as { error: { message: string } }).error.message };
}

function emptyDatabase(name: string): string {
  const file = path.join(scratch, name);
  new Database(file).exec("CREATE TABLE notes (id INTEGER PRIMARY KEY)").close();
  return file;
}

test("an unknown trajectory id answers 404 naming it, on every trajectory route", async () => {
  const id = { id: "nope" };
  const notFound = { status: 404, message: "no trajectory nope" };
  assert.deepEqual(await errorOf(await call(detailRoute.GET, "/api/trajectories/nope", id)), notFound);
  assert.deepEqual(await errorOf(await call(replayRoute.POST, "/api/trajectories/nope/replay", id, {})), notFound);
  assert.deepEqual(await errorOf(await call(verifyRoute.POST, "/api/trajectories/nope/verify", id, { mode: "code" })), notFound);
  assert.deepEqual(await errorOf(await call(reviewRoute.POST, "/api/trajectories/nope/review", id, { tags: [], note: "" })), notFound);
  assert.deepEqual(await errorOf(await call(stepRoute.GET, "/api/trajectories/nope/steps/0", { id: "nope", ordinal: "0" })), { status: 404, message: "trajectory nope has no step #0" });
});

test("verify over HTTP answers the stored verdict; a judge error leaves an earlier good verdict standing", async () => {
  const { id } = await createTrajectory({ environmentName: "no_such_shop", taskIdx: null, task: "Say hello.", source: "playtest", initialDbFile: emptyDatabase("initial.db") });
  await finishTrajectory(id, { finalAnswer: "Hello.", finalDbFile: emptyDatabase("final.db") });
  await addVerdict(id, { mode: "sql", classification: "complete", reward: 1 });

  const response = await call(verifyRoute.POST, `/api/trajectories/${id}/verify`, { id }, { mode: "code" });
  assert.equal(response.status, 200);
  const verdict = (await response.json()) as { trajectoryId: string; mode: string; classification: string; error: string };
  assert.deepEqual([verdict.trajectoryId, verdict.mode, verdict.classification], [id, "code", "judge_error"]);
  assert.match(verdict.error, /a free-text task .* has no verifier; judge it in sql mode/);
  const stored = (await getTrajectory(id))!;
  assert.deepEqual([stored.verdictClass, stored.reward], ["complete", 1]);
  assert.deepEqual(stored.verdicts.map((each) => each.classification), ["judge_error", "complete"]);
});
