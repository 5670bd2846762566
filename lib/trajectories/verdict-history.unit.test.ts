import assert from "node:assert/strict";
import { test } from "node:test";
import { verdictsByMode } from "./verdict-history.ts";

const verdict = (id: string, mode: "code" | "sql", classification: string) => ({ id, mode, classification });

test("per mode, the latest successful verdict heads; newer judge errors stand beside it; the rest is history", () => {
  const groups = verdictsByMode([
    verdict("s3", "sql", "judge_error"),
    verdict("c2", "code", "others"),
    verdict("s2", "sql", "judge_error"),
    verdict("s1", "sql", "complete"),
    verdict("c1", "code", "judge_error"),
    verdict("s0", "sql", "incomplete"),
  ]);
  assert.deepEqual(
    groups.map((group) => [group.mode, group.headline.id, group.failedSince.map((v) => v.id), group.earlier.map((v) => v.id)]),
    [
      ["code", "c2", [], ["c1"]],
      ["sql", "s1", ["s3", "s2"], ["s0"]],
    ],
  );
});

test("a mode that never judged successfully is headed by its latest judge error", () => {
  const [sql] = verdictsByMode([verdict("s2", "sql", "judge_error"), verdict("s1", "sql", "judge_error")]);
  assert.deepEqual([sql?.headline.id, sql?.failedSince, sql?.earlier.map((v) => v.id)], ["s2", [], ["s1"]]);
});
