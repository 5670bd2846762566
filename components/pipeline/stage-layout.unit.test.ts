import assert from "node:assert/strict";
import { test } from "node:test";
import { directParents, stageEdges, stagePlacements } from "./stage-layout.ts";

test("the graph draws each generation dependency once, without transitive shortcuts", () => {
  assert.deepEqual(directParents("code"), ["seed", "spec"]);
  assert.deepEqual(directParents("scenario"), []);
  const edges = stageEdges().map((edge) => `${edge.from}>${edge.to}`);
  assert.deepEqual(edges, ["scenario>tasks", "tasks>schema", "schema>seed", "schema>spec", "seed>code", "spec>code", "code>verifier"]);
});

test("seed and spec share a column; every other stage has its own, left to right", () => {
  const placement = Object.fromEntries(stagePlacements().map((node) => [node.stage, [node.column, node.row]]));
  assert.deepEqual(placement, {
    scenario: [0, 0],
    tasks: [1, 0],
    schema: [2, 0],
    seed: [3, 0],
    spec: [3, 1],
    code: [4, 0],
    verifier: [5, 0],
  });
});
