import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { readAwmFolder } from "./read-folder.ts";
import { buildSeedDatabase } from "./seed-db.ts";
import { folderContents, tempDir, tinyShopRecords, writeTempFolder, type FolderContents, type TinyShop } from "../testing/awm-fixture.ts";
import { issuesFromFolderErrors, validateBundle } from "./validate.ts";

const dbDir = tempDir("awm-validate-test-");

async function validateFolder(contents: FolderContents) {
  const { bundles } = readAwmFolder(writeTempFolder(contents));
  assert.equal(bundles.length, 1);
  const bundle = bundles[0]!;
  const seed = await buildSeedDatabase(path.join(dbDir, `${bundle.name}-${Math.random()}.db`), bundle.schema?.record, bundle.seed?.record);
  return validateBundle(bundle, seed);
}

async function validateEnv(change: (env: TinyShop) => void) {
  const env = tinyShopRecords();
  change(env);
  return validateFolder(folderContents(env));
}

const addCode = (env: TinyShop, lines: string[]) => {
  env.code.full_code += `\n${lines.join("\n")}\n`;
};

test("a healthy environment has no issues and the expected counts", async () => {
  const result = await validateEnv(() => {});
  assert.deepEqual(result.issues, []);
  assert.deepEqual(result.counts, { tasks: 2, tables: 2, seedRows: 3, seedFailures: 0, tools: 2, verifiers: 2 });
});

test("two routes with the same method and path: the later one is reported unreachable and not counted as a tool", async () => {
  const result = await validateEnv((env) => {
    addCode(env, ['@app.post("/api/products", operation_id="add_product_again")', "def add_product_again():", "    return {}"]);
    env.spec.api_spec.api_groups[0]!.endpoints.push({ path: "/api/products", method: "POST", operation_id: "add_product_again", required_tables: [], request_params: {} });
  });
  const duplicate = result.issues.find((i) => i.stage === "code" && i.severity === "error")!;
  assert.equal(duplicate.message, "POST /api/products defined at line 33 and again at line 46; requests reach the first handler (add_product), add_product_again is unreachable");
  assert.equal(duplicate.where, "gen_envs.jsonl line 1, full_code line 46");
  assert.deepEqual(duplicate.location, { tab: "code", line: 46, operationId: "add_product_again" });
  assert.equal(result.counts.tools, 2);
  assert.ok(result.issues.some((i) => i.stage === "spec" && i.message === "POST /api/products is declared for both add_product and add_product_again"));
});

test("a literal route after a matching path-parameter route is reported as shadowed", async () => {
  const result = await validateEnv((env) => {
    addCode(env, ['@app.post("/api/products/{product_id}/{action}", operation_id="product_action")', "def product_action(product_id: int, action: str):", "    return {}"]);
    addCode(env, ['@app.post("/api/products/7/discount", operation_id="discount_seven")', "def discount_seven():", "    return {}"]);
  });
  const shadowed = result.issues.filter((i) => i.message.includes("unreachable"));
  assert.equal(shadowed.length, 1);
  assert.match(shadowed[0]!.message, /^POST \/api\/products\/7\/discount \(line \d+\) is matched first by POST \/api\/products\/\{product_id\}\/\{action\}.*discount_seven is unreachable$/);
  assert.equal(result.counts.tools, 3);
});

test("spec operations missing from the code, code operations missing from the spec, and method/path disagreements", async () => {
  const result = await validateEnv((env) => {
    env.spec.api_spec.api_groups[0]!.endpoints.push({ path: "/api/users", method: "GET", operation_id: "list_users", required_tables: ["users"], request_params: {} });
    env.spec.api_spec.api_groups[0]!.endpoints[0]!.method = "PUT";
    addCode(env, ['@app.delete("/api/products/{product_id}")', "def delete_product(product_id: int):", "    return {}"]);
  });
  const messages = result.issues.map((i) => [i.severity, i.message, i.location.operationId]);
  assert.deepEqual(messages, [
    ["warning", "The spec says PUT /api/products/{product_id} but the code serves rename_product at PATCH /api/products/{product_id} (line 20)", "rename_product"],
    ["warning", "GET /api/users (list_users) is in the spec but not in the code", "list_users"],
    ["warning", "DELETE /api/products/{product_id} (delete_product) is in the code but not in the spec", "delete_product"],
  ]);
  assert.equal(result.counts.tools, 3);
});

test("duplicate operation ids and unknown required_tables in the spec", async () => {
  const result = await validateEnv((env) => {
    const endpoints = env.spec.api_spec.api_groups[0]!.endpoints;
    endpoints.push({ ...endpoints[0]!, path: "/api/products/{product_id}/copy", required_tables: ["products", "Invoices"] });
  });
  const spec = result.issues.filter((i) => i.stage === "spec");
  assert.deepEqual(spec.map((i) => [i.severity, i.message]), [
    ["error", 'operation_id "rename_product" is declared twice (api_groups[0].endpoints[0] and api_groups[0].endpoints[2]); tool names must be unique'],
    ["warning", "required_tables not in the schema: Invoices"],
  ]);
  assert.deepEqual(spec[0]!.location, { tab: "api", operationId: "rename_product" });
});

test("verifiers and tasks that do not line up", async () => {
  const result = await validateEnv((env) => {
    env.tasks.tasks.push("Rename me.");
    env.verifiers[1]!.task = "Add a product 'Tea Pot' priced 25.";
    env.verifiers.push({ ...env.verifiers[0]!, task_idx: 7, verification: { code: "def check(a, b):\n    return {}" } });
  });
  const verifierIssues = result.issues.filter((i) => i.stage === "verifier").map((i) => [i.severity, i.where, i.message, i.location]);
  assert.deepEqual(verifierIssues, [
    ["warning", "gen_tasks.jsonl line 1, tasks[2]", "Task 2 has no verifier", { tab: "tasks", taskIdx: 2 }],
    ["warning", "gen_verifier.pure_code.jsonl line 2, task_idx 1", "The verifier's task text differs from task 1 in gen_tasks.jsonl", { tab: "verifiers", taskIdx: 1 }],
    ["error", "gen_verifier.pure_code.jsonl line 3, task_idx 7", "task_idx 7 has no task (gen_tasks.jsonl lists 3)", { tab: "verifiers", taskIdx: 7 }],
    ["error", "gen_verifier.pure_code.jsonl line 3, task_idx 7", "code-mode verifier code does not define verify_task_completion(...)", { tab: "verifiers", taskIdx: 7 }],
  ]);
});

test("sql-mode verifiers must define verify_task", async () => {
  const env = tinyShopRecords();
  const contents = folderContents(env);
  delete contents["gen_verifier.pure_code.jsonl"];
  contents["gen_verifier.jsonl"] = [env.verifiers[0]!, { ...env.verifiers[1]!, verification: { code: "def verify_task(initial_db_path, final_db_path):\n    return {}" } }];
  const result = await validateFolder(contents);
  assert.deepEqual(result.issues.map((i) => [i.where, i.message]), [["gen_verifier.jsonl line 1, task_idx 0", "sql-mode verifier code does not define verify_task(...)"]]);
});

test("a cut-off CREATE TABLE and a failing INSERT point at their table and statement", async () => {
  const result = await validateEnv((env) => {
    env.schema.db_schema.tables[0]!.indexes.push("CREATE INDEX idx_nope ON users(missing_column);");
    env.schema.db_schema.tables[1]!.ddl = "CREATE TABLE products (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL, na";
    env.seed.sample_data.tables[0]!.insert_statements.push("INSERT INTO users (id) VALUES (2);");
  });
  const data = result.issues.filter((i) => i.stage === "schema" || i.stage === "seed").map((i) => [i.stage, i.where, i.message, i.location]);
  assert.deepEqual(data, [
    ["schema", "gen_db.jsonl line 1, table products", "CREATE TABLE products is cut off (SQLite: incomplete input)", { tab: "schema", table: "products" }],
    ["schema", "gen_db.jsonl line 1, table users, indexes[0]", "Index failed: no such column: missing_column", { tab: "schema", table: "users", statement: 0 }],
    ["schema", "gen_db.jsonl line 1, table products, indexes[0]", "Index failed: no such table: main.products", { tab: "schema", table: "products", statement: 0 }],
    ["seed", "gen_sample.jsonl line 1", "inserts_count says 3 but the record holds 4 INSERT statements", { tab: "data" }],
    ["seed", "gen_sample.jsonl line 1, table users, insert_statements[1]", "INSERT failed: NOT NULL constraint failed: users.name", { tab: "data", table: "users", statement: 1 }],
    ["seed", "gen_sample.jsonl line 1, table products, insert_statements[0]", "INSERT failed: no such table: products", { tab: "data", table: "products", statement: 0 }],
    ["seed", "gen_sample.jsonl line 1, table products, insert_statements[1]", "INSERT failed: no such table: products", { tab: "data", table: "products", statement: 1 }],
  ]);
  assert.equal(result.counts.seedFailures, 3);
  assert.equal(result.counts.seedRows, 1);
});

test("missing artifacts: errors where the environment cannot work, warnings where it is only poorer", async () => {
  const env = tinyShopRecords("Bare");
  const result = await validateFolder({ "gen_tasks.jsonl": [env.tasks] });
  assert.deepEqual(result.issues.map((i) => [i.stage, i.severity]), [
    ["scenario", "warning"],
    ["verifier", "error"],
    ["schema", "error"],
    ["seed", "warning"],
    ["spec", "warning"],
    ["code", "error"],
  ]);
  assert.deepEqual(result.counts, { tasks: 2, tables: 0, seedRows: 0, seedFailures: 0, tools: 0, verifiers: 0 });
});

test("folder errors become issues of the stage their file belongs to", () => {
  const issues = issuesFromFolderErrors([
    { file: "gen_sample.jsonl", line: 4, message: "Invalid JSON: Unexpected end of JSON input" },
    { file: "gen_verifier.jsonl", line: 2, message: "Duplicate ...", severity: "warning" },
    { file: "/some/dir", message: "No AWM files in this folder" },
  ]);
  assert.deepEqual(issues, [
    { stage: "seed", severity: "error", where: "gen_sample.jsonl line 4", message: "Invalid JSON: Unexpected end of JSON input", location: { tab: "data" } },
    { stage: "verifier", severity: "warning", where: "gen_verifier.jsonl line 2", message: "Duplicate ...", location: { tab: "verifiers" } },
    { stage: "scenario", severity: "error", where: "/some/dir", message: "No AWM files in this folder", location: { tab: "overview" } },
  ]);
});
