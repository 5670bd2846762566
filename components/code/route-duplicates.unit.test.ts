import assert from "node:assert/strict";
import { test } from "node:test";
import { routeDuplicates } from "./route-duplicates";

test("marks every copy of a repeated method+path or operation id, naming the other lines", () => {
  const reasons = routeDuplicates([
    { method: "GET", path: "/a", operationId: "get_a", line: 10 },
    { method: "POST", path: "/a", operationId: "create_a", line: 20 },
    { method: "GET", path: "/a", operationId: "get_a_again", line: 30 },
    { method: "GET", path: "/b", operationId: "create_a", line: 40 },
  ]);
  assert.deepEqual([...reasons.entries()].sort(), [
    [0, "duplicate route GET /a (also line 30)"],
    [1, "duplicate operation id create_a (also line 40)"],
    [2, "duplicate route GET /a (also line 10)"],
    [3, "duplicate operation id create_a (also line 20)"],
  ]);
});

test("no duplicates, no marks", () => {
  assert.equal(routeDuplicates([{ method: "GET", path: "/a", line: 1 }, { method: "POST", path: "/a", line: 2 }]).size, 0);
});
