/**
 * Settings refuse a base URL that is not an http(s) URL when it is saved, naming what is expected;
 * before, it was saved with "Saved." and failed at the first model call.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { useTempStudioHome } from "../../../lib/testing/temp-home.ts";

useTempStudioHome("awm-settings-route-");
const { closeStudioDb } = await import("../../../lib/store/db.ts");
const settingsRoute = await import("./route.ts");
after(() => closeStudioDb());

async function save(body: unknown): Promise<{ status: number; body: { error?: { message: string }; baseUrl?: { value: string } } }> {
  const response = await settingsRoute.PUT(new Request("http://127.0.0.1:3000/api/settings", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), { params: Promise.resolve({}) });
  return { status: response.status, body: (await response.json()) as { error?: { message: string }; baseUrl?: { value: string } } };
}

test("a base URL that is not an http(s) URL is refused with what is expected; a good one and an empty one (forget it) are saved", async () => {
  for (const bad of ["not a url at all", "localhost:8000", "ftp://models.example/v1"]) {
    const answer = await save({ baseUrl: bad });
    assert.equal(answer.status, 400, bad);
    assert.match(answer.body.error?.message ?? "", /baseUrl: the base URL must be an http:\/\/ or https:\/\/ URL, e\.g\. https:\/\/api\.openai\.com\/v1/);
  }
  const good = await save({ baseUrl: "http://127.0.0.1:8000/v1" });
  assert.equal(good.status, 200);
  assert.equal(good.body.baseUrl?.value, "http://127.0.0.1:8000/v1");
  assert.equal((await save({ baseUrl: "" })).status, 200);
});
