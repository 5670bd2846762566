import type { SchemaRecord, SeedRecord, SeedTable } from "../../awm/types.ts";
import { arrayField, asObject, outcome, readShape, stringArray, stringField, type CheckOutcome } from "./outcome.ts";
import { readUntrusted } from "../../untrusted-db/reader.ts";
import { withBuiltDatabase } from "./temp-database.ts";

function readSeedTables(answer: unknown): SeedTable[] {
  return arrayField(asObject(answer, "answer"), "tables", "answer").map((item, index) => {
    const where = `tables[${index}]`;
    const object = asObject(item, where);
    const reasoning = typeof object.reasoning === "string" ? { reasoning: object.reasoning } : {};
    return { table_name: stringField(object, "table_name", where), ...reasoning, insert_statements: stringArray(object, "insert_statements", where) };
  });
}

/** Every INSERT executes on the schema (failures named per statement), into a table the schema has, leaving no dangling foreign key. */
export async function checkSeed(answer: unknown, options: { scenario: string; schema: SchemaRecord }): Promise<CheckOutcome<SeedRecord>> {
  const shape = readShape(() => readSeedTables(answer));
  if ("error" in shape) return { passed: false, errors: [shape.error] };
  const tables = shape.value;
  const record: SeedRecord = {
    scenario: options.scenario,
    tables_count: tables.length,
    inserts_count: tables.reduce((sum, table) => sum + table.insert_statements.length, 0),
    sample_data: { tables },
  };
  if (record.inserts_count === 0) return { passed: false, errors: ["the answer holds no INSERT statements"] };
  return withBuiltDatabase(options.schema, record, async (file, build) => {
    const errors: string[] = [];
    const known = new Set(build.tablesCreated.map((name) => name.toLowerCase()));
    for (const table of tables) if (!known.has(table.table_name.toLowerCase())) errors.push(`table_name ${table.table_name} is not a table of the schema`);
    for (const insert of build.inserts) {
      if (!insert.ok) errors.push(`table ${insert.table} insert_statements[${insert.index}]: INSERT failed: ${insert.error}\n  ${insert.sql}`);
    }
    // In the database reader: reading the keys computes generated columns the generated schema may make costly.
    errors.push(...(await readUntrusted("foreignKeyViolations", { file })));
    return outcome(errors, record, { seedRows: build.seedRows, seedFailures: build.seedFailures });
  });
}
