import assert from "node:assert/strict";
import fs from "node:fs";
import { after, test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";

const home = useTempStudioHome("awm-studio-db-");
const { closeStudioDb, studioDb } = await import("./db.ts");

after(async () => {
  await closeStudioDb();
  fs.rmSync(home, { recursive: true, force: true });
});

test("the studio's connection writes ahead to a WAL and syncs it at checkpoints, not at every commit", async () => {
  assert.deepEqual(await studioDb().$queryRawUnsafe("PRAGMA journal_mode"), [{ journal_mode: "wal" }]);
  assert.deepEqual(await studioDb().$queryRawUnsafe("PRAGMA synchronous"), [{ synchronous: 1n }], "NORMAL");
});
