import assert from "node:assert/strict";
import { test } from "node:test";
import { boundedFileName } from "./file-names.ts";

test("short normalized names are used as they are", () => {
  assert.equal(boundedFileName("doordash_drive_delivery_tracking"), "doordash_drive_delivery_tracking");
});

test("long, dotted or separated names become a bounded prefix plus a hash: no separators, no dot names, no collisions", () => {
  const long = "a".repeat(300);
  for (const name of [long, ".", "..", "../../etc", "a/b", "a\\b", "Ünïcode name", "", "x".repeat(81)]) {
    const file = boundedFileName(name);
    assert.ok(file.length <= 80, file);
    assert.match(file, /^[a-z0-9_]+-[0-9a-f]{12}$/, `${JSON.stringify(name)} → ${file}`);
  }
  assert.notEqual(boundedFileName(long), boundedFileName(`${long}b`));
  assert.equal(boundedFileName(long), boundedFileName(long));
});
