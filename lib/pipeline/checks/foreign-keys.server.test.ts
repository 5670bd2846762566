/**
 * The schema and seed checks' foreign keys, read in the database reader (the generated schema may
 * make reading its keys costly): a key to a table the schema does not create, and a row that points
 * at no row, are named.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkSchema } from "./schema-check.ts";
import { checkSeed } from "./seed-check.ts";

const owners = { name: "owners", ddl: "CREATE TABLE owners (id INTEGER PRIMARY KEY, name TEXT NOT NULL);", indexes: [] };
const pets = { name: "pets", ddl: "CREATE TABLE pets (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES owners(id), vet_id INTEGER REFERENCES vets(id));", indexes: [] };

test("a foreign key to a table the schema does not create is named with its table and column", async () => {
  const outcome = await checkSchema({ tables: [owners, pets] }, { scenario: "pets", dbPath: "pets.db" });
  assert.equal(outcome.passed, false);
  assert.deepEqual(outcome.errors, ["table pets: foreign key vet_id references table vets, which the schema does not create"]);
});

test("a seed row that points at no row is named with its table, row and key", async () => {
  const schema = { scenario: "pets", db_path: "pets.db", db_schema: { tables: [owners, { ...pets, ddl: pets.ddl.replace(", vet_id INTEGER REFERENCES vets(id)", "") }] } };
  const answer = { tables: [{ table_name: "owners", insert_statements: ["INSERT INTO owners (id, name) VALUES (1, 'Ada');"] }, { table_name: "pets", insert_statements: ["INSERT INTO pets (id, owner_id) VALUES (1, 1), (2, 7);"] }] };
  const outcome = await checkSeed(answer, { scenario: "pets", schema });
  assert.equal(outcome.passed, false);
  assert.deepEqual(outcome.errors, ["table pets row 2: foreign key owner_id → owners.id points at a row that does not exist"]);
});
