import assert from "node:assert/strict";
import { test } from "node:test";
import { artifactDocuments, artifactLanguage, artifactText, recordFromDocuments, recordFromText, WHOLE_RECORD } from "./artifact-text.ts";

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

test("a schema is one SQL document per table; saving replaces only the edited table", () => {
  const record = {
    scenario: "Bikes",
    db_path: "x.db",
    db_schema: {
      tables: [
        { name: "bikes", ddl: "CREATE TABLE bikes (\n  id INTEGER PRIMARY KEY\n);", indexes: [] },
        { name: "ticket_notes", ddl: "CREATE TABLE ticket_notes (\n  id INTEGER", indexes: ["CREATE INDEX idx ON ticket_notes(id);"] },
      ],
    },
  };
  const documents = artifactDocuments("schema", record);
  assert.deepEqual(documents.map((doc) => [doc.key, doc.language]), [["bikes", "sql"], ["ticket_notes", "sql"]]);
  assert.ok(!documents[1]!.text.includes("\\n"), "real line breaks, not \\n escapes");
  const fixed = documents[1]!.text.replace("id INTEGER", "id INTEGER\n);");
  const saved = recordFromDocuments("schema", record, { ticket_notes: fixed });
  assert.ok("record" in saved);
  const tables = (saved.record as typeof record).db_schema.tables;
  assert.equal(tables[0], record.db_schema.tables[0]);
  assert.deepEqual(tables[1], { name: "ticket_notes", ddl: "CREATE TABLE ticket_notes (\n  id INTEGER\n);", indexes: ["CREATE INDEX idx ON ticket_notes(id);"] });
  assert.match((recordFromDocuments("schema", record, { bikes: "DROP TABLE bikes;" }) as { error: string }).error, /bikes: the SQL must start with its CREATE TABLE/);
  // Other kinds stay one document.
  assert.deepEqual(artifactDocuments("code", { full_code: "x = 1\n" }), [{ key: WHOLE_RECORD, label: "code", language: "python", text: "x = 1\n" }]);
});
