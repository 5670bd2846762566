import assert from "node:assert/strict";
import { test } from "node:test";
import { artifactLanguage, artifactText, recordFromText } from "./artifact-text.ts";

test("code is edited as its Python source and saved back with the record's other fields", () => {
  const record = { scenario: "Maple", db_path: "./x.db", full_code: "print(1)\n" };
  assert.equal(artifactLanguage("code"), "python");
  assert.equal(artifactText("code", record), "print(1)\n");
  assert.deepEqual(recordFromText("code", record, "print(2)\n"), { record: { scenario: "Maple", db_path: "./x.db", full_code: "print(2)\n" } });
});

test("a verifier is edited as verification.code, keeping the rest of verification", () => {
  const record = { task_idx: 2, verification: { code: "def verify(): pass", raw_response: "raw" } };
  assert.equal(artifactText("verifier", record), "def verify(): pass");
  assert.deepEqual(recordFromText("verifier", record, "def verify(): return 1"), {
    record: { task_idx: 2, verification: { code: "def verify(): return 1", raw_response: "raw" } },
  });
});

test("JSON artifacts round-trip as pretty JSON", () => {
  const record = { scenario: "Maple", tasks: ["Renew 'The Quiet Orchard'"] };
  const text = artifactText("tasks", record);
  assert.equal(artifactLanguage("tasks"), "json");
  assert.match(text, /\n {2}"tasks": \[/);
  assert.deepEqual(recordFromText("tasks", undefined, text), { record });
});

test("broken JSON is refused with the parser's message naming the bad spot", () => {
  const parsed = recordFromText("schema", undefined, '{\n  "db_schema": {\n    "tables": [,]\n  }\n}');
  assert.ok("error" in parsed);
  assert.match(parsed.error, /^schema is not valid JSON: Unexpected token ','.*\[,\]/);
});
