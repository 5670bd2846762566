import type { SchemaRecord, SchemaTable } from "../../awm/types.ts";
import { arrayField, asObject, outcome, readShape, stringArray, stringField, type CheckOutcome } from "./outcome.ts";
import { readUntrusted } from "../../untrusted-db/reader.ts";
import { withBuiltDatabase } from "./temp-database.ts";

function readTables(answer: unknown): SchemaTable[] {
  return arrayField(asObject(answer, "answer"), "tables", "answer").map((item, index) => {
    const where = `tables[${index}]`;
    const object = asObject(item, where);
    const indexes = object.indexes === undefined ? [] : stringArray(object, "indexes", where);
    return { name: stringField(object, "name", where), ddl: stringField(object, "ddl", where), indexes };
  });
}

/** Every CREATE TABLE and index executes, creates the table it names, and every foreign key points at a table that exists. */
export async function checkSchema(answer: unknown, options: { scenario: string; dbPath: string }): Promise<CheckOutcome<SchemaRecord>> {
  const shape = readShape(() => readTables(answer));
  if ("error" in shape) return { passed: false, errors: [shape.error] };
  const record: SchemaRecord = { scenario: options.scenario, db_schema: { tables: shape.value }, db_path: options.dbPath };
  if (shape.value.length === 0) return { passed: false, errors: ["the schema lists no tables"] };
  return withBuiltDatabase(record, undefined, async (file, build) => {
    const errors: string[] = [];
    for (const ddl of build.ddl) {
      if (ddl.ok) continue;
      errors.push(ddl.kind === "table" ? `table ${ddl.table}: CREATE TABLE failed: ${ddl.error}` : `table ${ddl.table} indexes[${ddl.index}]: index failed: ${ddl.error}\n  ${ddl.sql}`);
    }
    const created = new Map(build.tablesCreated.map((name) => [name.toLowerCase(), name]));
    for (const table of shape.value) {
      const ran = build.ddl.find((ddl) => ddl.kind === "table" && ddl.table === table.name)?.ok;
      if (ran && !created.has(table.name.toLowerCase())) errors.push(`table ${table.name}: the DDL ran but created no table of that name`);
    }
    errors.push(...(await readUntrusted("danglingForeignKeys", { file, tables: [...created.values()], created: [...created.values()] })));
    return outcome(errors, record, { tablesCreated: build.tablesCreated });
  });
}
