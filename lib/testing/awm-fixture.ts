/**
 * The test suite's AWM fixture, one module: the Tiny Shop environment as AWM records, and helpers
 * that write environments as gen_*.jsonl folders. The shop runs (products you can rename and add,
 * verifiers that check it), and it is the healthy environment of the format, validation and export
 * tests too: each test mutates a copy to produce the defect it needs.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AWM_FILES, type AwmBundle, type ScenarioRecord, type VerifierRecord } from "../awm/types.ts";

/** One environment's records, one field per AWM file, each of the type the AWM reader keeps it as; verifiers: one per task. */
export type TinyShop = { scenario: ScenarioRecord; verifiers: VerifierRecord[] } & {
  [K in "tasks" | "schema" | "seed" | "spec" | "code"]: NonNullable<AwmBundle[K]>["record"];
};

const TINY_SHOP_TASKS = ["Rename product 1 to 'Blue Mug'.", "Add a product 'Tea Pot' priced 20."];

/**
 * The tiny shop, named `scenario`: tables users (1 row) and products (2 rows, an index), 3 seed rows
 * in all, two endpoints (rename_product, add_product), two tasks and a code-mode verifier for each.
 */
export function tinyShopRecords(scenario = "Tiny Shop"): TinyShop {
  // AWM's file names and the verifiers' scenario field use the normalized name.
  const name = scenario.toLowerCase().replace(/[^a-z0-9_]/g, "_").replace(/_+/g, "_").replace(/^_|_$/g, "");
  const dbPath = `./outputs/databases/${name}.db`;
  return {
    scenario: { name: scenario, description: `${scenario}: a one-shelf shop used by the test suite.` },
    tasks: { scenario, tasks: [...TINY_SHOP_TASKS] },
    schema: {
      scenario,
      db_schema: {
        tables: [
          { name: "users", ddl: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);", indexes: [] },
          {
            name: "products",
            ddl: "CREATE TABLE products (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES users(id), name TEXT NOT NULL UNIQUE, price REAL NOT NULL);",
            indexes: ["CREATE INDEX idx_products_owner ON products(owner_id);"],
          },
        ],
      },
      db_path: dbPath,
    },
    seed: {
      scenario,
      tables_count: 2,
      inserts_count: 3,
      sample_data: {
        tables: [
          { table_name: "users", reasoning: "the logged-in user", insert_statements: ["INSERT INTO users (id, name) VALUES (1, 'Ada');"] },
          {
            table_name: "products",
            insert_statements: [
              "INSERT INTO products (id, owner_id, name, price) VALUES (1, 1, 'Mug', 8.5);",
              "INSERT INTO products (id, owner_id, name, price) VALUES (2, 1, 'Plate', 12.0);",
            ],
          },
        ],
      },
    },
    spec: {
      scenario,
      api_spec: {
        api_groups: [
          {
            group_name: "Products",
            endpoints: [
              {
                path: "/api/products/{product_id}",
                method: "PATCH",
                summary: "Rename a product",
                description: "Change a product's name.",
                operation_id: "rename_product",
                tags: ["products"],
                request_params: {
                  product_id: { type: "integer", param_type: "path", required: true, description: "Product id", example: 1 },
                  name: { type: "string", param_type: "body", required: true, description: "New name", example: "Blue Mug" },
                },
                response: { id: { type: "integer" }, name: { type: "string" } },
                required_tables: ["products"],
                required_fields: { products: ["id", "name"] },
              },
              {
                path: "/api/products",
                method: "POST",
                summary: "Add a product",
                description: "Create a product owned by the current user.",
                operation_id: "add_product",
                tags: ["products"],
                request_params: {
                  name: { type: "string", param_type: "body", required: true, description: "Name", example: "Tea Pot" },
                  price: { type: "number", param_type: "body", required: true, description: "Price", example: 20 },
                },
                response: { id: { type: "integer" } },
                required_tables: ["products"],
                required_fields: { products: ["name", "price"] },
              },
            ],
          },
        ],
      },
    },
    code: {
      scenario,
      db_path: dbPath,
      full_code: TINY_SHOP_CODE,
    },
    verifiers: TINY_SHOP_TASKS.map((task, taskIdx) => ({
      scenario: name,
      task_idx: taskIdx,
      task,
      verification: { code: [VERIFY_RENAME, VERIFY_ADD][taskIdx]!, raw_response: "{}" },
    })),
  };
}

const TINY_SHOP_CODE = `import os
from fastapi import FastAPI, Body, Path
from pydantic import BaseModel
from sqlalchemy import create_engine, text

DATABASE_PATH = os.environ.get("DATABASE_PATH", "sqlite:///xxxx.db")
engine = create_engine(DATABASE_PATH, connect_args={"check_same_thread": False})
app = FastAPI(title="Tiny Shop")


class RenameRequest(BaseModel):
    name: str


class AddRequest(BaseModel):
    name: str
    price: float


@app.patch(
    "/api/products/{product_id}",
    summary="Rename a product",
    description="Change a product's name.",
    tags=["products"],
    operation_id="rename_product",
)
def rename_product(req: RenameRequest, product_id: int = Path(...)):
    with engine.begin() as conn:
        conn.execute(text("UPDATE products SET name = :n WHERE id = :i"), {"n": req.name, "i": product_id})
    return {"id": product_id, "name": req.name}


@app.post("/api/products", summary="Add a product", tags=["products"], operation_id="add_product")
def add_product(req: AddRequest):
    with engine.begin() as conn:
        result = conn.execute(
            text("INSERT INTO products (owner_id, name, price) VALUES (1, :n, :p)"), {"n": req.name, "p": req.price}
        )
    return {"id": result.lastrowid}


if __name__ == "__main__":
    import uvicorn
    uvicorn.run(app, host="127.0.0.1", port=int(os.getenv("PORT", "8000")))
`;

const VERIFY_RENAME = `def verify_task_completion(initial_db_path, final_db_path, final_answer=None):
    import sqlite3
    conn = sqlite3.connect(final_db_path)
    row = conn.execute("SELECT name FROM products WHERE id = 1").fetchone()
    conn.close()
    return {"result": "complete" if row and row[0] == "Blue Mug" else "others"}
`;

const VERIFY_ADD = `def verify_task_completion(initial_db_path, final_db_path, final_answer=None):
    import sqlite3
    conn = sqlite3.connect(final_db_path)
    row = conn.execute("SELECT price FROM products WHERE name = 'Tea Pot'").fetchone()
    conn.close()
    return {"result": "complete" if row and abs(row[0] - 20) < 1e-9 else "others"}
`;

/** Writes environments as AWM JSONL files into a new temp folder (or `dir`) and returns it. */
export function writeFixtureFolder(environments: TinyShop[], dir = tempDir("awm-fixture-")): string {
  return writeFolder(folderContents(...environments), dir);
}

/**
 * Every JSON record of every gen_*.jsonl file in a folder, by file name, for round-trip checks.
 * Records are sorted by their JSON text: line order is not part of the format.
 */
export function readJsonlRecords(dir: string): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const file of fs.readdirSync(dir).filter((name) => /^gen_.*\.jsonl$/.test(name)).sort()) {
    out[file] = fs
      .readFileSync(path.join(dir, file), "utf8")
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as unknown)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return out;
}

/** gen_*.jsonl file name → records (objects) or raw lines (strings, written as they are). */
export type FolderContents = Record<string, (object | string)[]>;

/** Environments' records by AWM file, in order; code-mode verifiers (gen_verifier.pure_code.jsonl). */
export function folderContents(...environments: TinyShop[]): FolderContents {
  return {
    [AWM_FILES.scenario]: environments.map((env) => env.scenario),
    [AWM_FILES.tasks]: environments.map((env) => env.tasks),
    [AWM_FILES.schema]: environments.map((env) => env.schema),
    [AWM_FILES.seed]: environments.map((env) => env.seed),
    [AWM_FILES.spec]: environments.map((env) => env.spec),
    [AWM_FILES.code]: environments.map((env) => env.code),
    [AWM_FILES.verifierCode]: environments.flatMap((env) => env.verifiers),
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

/** Writes `contents` (environments' records from folderContents, edited, or any lines) into a new temp folder. */
export function writeTempFolder(contents: FolderContents): string {
  return writeFolder(contents, tempDir());
}

function writeFolder(contents: FolderContents, dir: string): string {
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
