import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { openUntrustedDatabase } from "./toolbox.ts";

test("an untrusted database is opened read-only with trusted_schema off", () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "awm-untrusted-open-")), "x.db");
  new Database(file).exec("CREATE TABLE t (v TEXT)").close();
  const db = openUntrustedDatabase(file);
  try {
    assert.equal(db.pragma("trusted_schema", { simple: true }), 0);
    assert.throws(() => db.exec("INSERT INTO t VALUES ('x')"), /readonly/);
  } finally {
    db.close();
  }
});
