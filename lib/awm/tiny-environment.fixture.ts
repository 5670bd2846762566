import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AwmBundle } from "./types.ts";

/** A small, healthy AWM environment written for tests; each test breaks the part it is about. */
export function tinyEnvironment(scenario = "Tiny Shop (Test)") {
  const name = scenario.toLowerCase().replace(/[^a-z0-9_]/g, "_").replace(/_+/g, "_").replace(/^_|_$/g, "");
  const tasks = ["List my orders.", "Cancel order 2."];
  return {
    scenario: { name: scenario, description: "A tiny shop." },
    tasks: { scenario, tasks },
    schema: {
      scenario,
      db_path: `./outputs/databases/${name}.db`,
      db_schema: {
        tables: [
          { name: "users", ddl: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);", indexes: [] },
          {
            name: "orders",
            ddl: "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), status TEXT NOT NULL);",
            indexes: ["CREATE INDEX idx_orders_user ON orders(user_id);"],
          },
        ],
      },
    },
    seed: {
      scenario,
      tables_count: 2,
      inserts_count: 3,
      sample_data: {
        tables: [
          { table_name: "users", reasoning: "the logged-in user", insert_statements: ["INSERT INTO users (id, name) VALUES (1, 'Ann');"] },
          {
            table_name: "orders",
            insert_statements: ["INSERT INTO orders (id, user_id, status) VALUES (1, 1, 'open');", "INSERT INTO orders (id, user_id, status) VALUES (2, 1, 'open');"],
          },
        ],
      },
    },
    spec: {
      scenario,
      api_spec: {
        api_groups: [
          {
            group_name: "orders",
            endpoints: [
              { path: "/api/orders", method: "GET", operation_id: "list_orders", required_tables: ["orders"], request_params: {} },
              {
                path: "/api/orders/{order_id}/cancel",
                method: "POST",
                operation_id: "cancel_order",
                required_tables: ["orders"],
                request_params: { order_id: { type: "integer", param_type: "path", required: true } },
              },
            ],
          },
        ],
      },
    },
    code: {
      scenario,
      db_path: `./outputs/databases/${name}.db`,
      full_code: [
        "from fastapi import FastAPI",
        "app = FastAPI()",
        "",
        '@app.get("/api/orders", operation_id="list_orders")',
        "def list_orders():",
        "    return []",
        "",
        "@app.post(",
        "    '/api/orders/{order_id}/cancel',",
        "    operation_id='cancel_order',",
        ")",
        "def cancel_order(order_id: int):",
        "    return {}",
      ].join("\n"),
    },
    verifiers: tasks.map((task, task_idx) => ({
      scenario: name,
      task_idx,
      task,
      verification: { code: "def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n    return {'result': 'complete'}\n" },
    })),
  };
}

export type TinyEnvironment = ReturnType<typeof tinyEnvironment>;

/** gen_*.jsonl file name → records (objects) or raw lines (strings, written as they are). */
export type FolderContents = Record<string, (object | string)[]>;

export function folderContents(...environments: TinyEnvironment[]): FolderContents {
  return {
    "gen_scenario.jsonl": environments.map((env) => env.scenario),
    "gen_tasks.jsonl": environments.map((env) => env.tasks),
    "gen_db.jsonl": environments.map((env) => env.schema),
    "gen_sample.jsonl": environments.map((env) => env.seed),
    "gen_spec.jsonl": environments.map((env) => env.spec),
    "gen_envs.jsonl": environments.map((env) => env.code),
    "gen_verifier.pure_code.jsonl": environments.flatMap((env) => env.verifiers),
  };
}

const tempDirs: string[] = [];
process.once("exit", () => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A temporary folder, removed when the test process exits. */
export function tempDir(prefix = "awm-core-test-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function writeTempFolder(contents: FolderContents): string {
  const dir = tempDir();
  for (const [file, lines] of Object.entries(contents)) {
    fs.writeFileSync(path.join(dir, file), lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n") + "\n");
  }
  return dir;
}

/** A bundle's records without where they came from: what must survive export. */
export function recordsOf(bundle: AwmBundle) {
  return {
    name: bundle.name,
    scenario: bundle.scenario,
    records: [bundle.scenarioRecord, bundle.tasks, bundle.schema, bundle.seed, bundle.spec, bundle.code].map((located) => located?.record),
    verifiers: bundle.verifiers.map((verifier) => verifier.record),
  };
}
