import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { diffDatabases } from "../diff/sqlite-diff.ts";
import { ExactNumber } from "../json/exact-json.ts";
import type { EnvironmentInstance } from "./instance.ts";
import { checkPythonRuntime } from "./python-runtime.ts";
import { awmEnvironment, eventually, isAlive, runtimeTestContext, SHOP_ENVIRONMENT, SHOP_SEED_SQL } from "../testing/runtime-environments.ts";
import { detectSandbox } from "./sandbox.ts";
import { hostsRoot, removeDeadProcessFolders } from "./host-folders.ts";

const context = runtimeTestContext("awm-instance-test-");
let shop: EnvironmentInstance;
let seedDb: string;

before(async () => {
  seedDb = context.seedDatabase(SHOP_SEED_SQL);
  shop = await context.start(SHOP_ENVIRONMENT, seedDb);
});
after(() => context.cleanup());

describe("environment instance", () => {
  test("runs sandboxed and serves the app over its socket, not its __main__ block", () => {
    assert.equal(detectSandbox().available, true, detectSandbox().reason);
    assert.equal(shop.sandboxed, true);
    assert.equal(shop.status, "running");
    assert.ok(fs.existsSync(shop.files.socket));
    assert.equal(shop.tools().length > 0, true);
    assert.equal(fs.existsSync(path.join(shop.dir, "work", "db")), false, "the working database lives in the sandbox's own tmpfs, not in the studio's folder");
    assert.equal((shop.openapi() as { info?: { title?: string } }).info?.title, "Test environment");
  });

  test("lists tools from the app's OpenAPI document with required arguments and resolved $refs", () => {
    const tools = new Map(shop.tools().map((tool) => [tool.name, tool]));
    assert.deepEqual([...tools.keys()].sort(), ["adjust_stock", "create_product", "get_product", "list_products"]);
    const list = tools.get("list_products");
    assert.equal(list?.description, "List products\n\nProducts by id, optionally under a price.");
    assert.deepEqual(list?.inputSchema.required, ["limit"]);
    assert.equal(list?.changesState, false);
    assert.deepEqual(tools.get("adjust_stock")?.inputSchema.required, ["product_id", "delta"]);
    assert.deepEqual(tools.get("adjust_stock")?.argumentLocations, { product_id: "path", delta: "query" });
    const create = tools.get("create_product");
    assert.equal(create?.changesState, true);
    assert.deepEqual(create?.inputSchema.required, ["name", "price"]);
    const dimensions = create?.inputSchema.properties.dimensions as { properties?: Record<string, unknown>; required?: string[]; description?: string };
    assert.deepEqual(Object.keys(dimensions.properties ?? {}), ["width_cm", "height_cm"]);
    assert.deepEqual(dimensions.required, ["width_cm"]);
    assert.equal(dimensions.description, "Package size");
    assert.equal(JSON.stringify(create?.inputSchema).includes("$ref"), false);
  });

  test("answers with pydantic 2 shaped JSON: no model_config field, ORM objects accepted", async () => {
    const one = await shop.callTool("get_product", { product_id: 2 });
    assert.deepEqual(one.body, { id: 2, name: "Plate", price: 12, stock: 4 });
    const list = await shop.callTool("list_products", { limit: 2, max_price: 10 });
    assert.deepEqual(list.body, { products: [{ id: 1, name: "Mug", price: 8.5, stock: 10 }, { id: 3, name: "Bowl", price: 9, stock: 0 }] });
    assert.doesNotMatch(JSON.stringify([one.body, list.body]), /model_config/);
  });

  test("reports HTTP errors as not ok with the server's answer", async () => {
    const missing = await shop.callTool("get_product", { product_id: 99 });
    assert.deepEqual([missing.ok, missing.status, missing.body], [false, 404, { detail: "product not found" }]);
    const invalid = await shop.callTool("list_products", {});
    assert.equal(invalid.status, 422);
  });

  test("after an unhandled exception's 500 the snapshot and the next call right after it work", async () => {
    // SQLite cannot hold this integer: the handler raises OverflowError, answered 500 by the launcher.
    const crashed = await shop.callTool("get_product", { product_id: new ExactNumber("100000000000000000000000") });
    assert.equal(crashed.status, 500);
    const snapshot = await shop.snapshot(path.join(context.root, "after-500.db"));
    assert.deepEqual((await diffDatabases(seedDb, snapshot)).tables, {});
    assert.equal((await shop.callTool("get_product", { product_id: 1 })).status, 200);
  });

  test("writing calls change exactly the expected rows; reset restores the seed; snapshots capture state", async () => {
    const created = await shop.callTool("create_product", { name: "Tea Pot", price: 20, dimensions: { width_cm: 15 } });
    assert.equal(created.ok, true, JSON.stringify(created.body));
    const adjusted = await shop.callTool("adjust_stock", { product_id: 1, delta: -3 });
    assert.deepEqual(adjusted.body, { id: 1, name: "Mug", price: 8.5, stock: 7 });

    const changed = await shop.snapshot(path.join(context.root, "after-calls.db"));
    const diff = await diffDatabases(seedDb, changed);
    assert.deepEqual(diff.tables, {
      products: {
        inserted: [{ id: 4, name: "Tea Pot", price: 20, stock: 0 }],
        deleted: [],
        updated: [{ key: { id: 1 }, before: { id: 1, name: "Mug", price: 8.5, stock: 10 }, after: { id: 1, name: "Mug", price: 8.5, stock: 7 }, changed: ["stock"] }],
      },
    });

    await shop.reset();
    assert.equal(shop.status, "running");
    assert.deepEqual((await shop.callTool("get_product", { product_id: 1 })).body, { id: 1, name: "Mug", price: 8.5, stock: 10 });
    assert.equal((await shop.callTool("get_product", { product_id: 4 })).status, 404);
    const restored = await shop.snapshot(path.join(context.root, "after-reset.db"));
    assert.deepEqual((await diffDatabases(seedDb, restored)).tables, {});

    // The instance keeps working after a reset: ids start again from the seed.
    const again = await shop.callTool("create_product", { name: "Jug", price: 5 });
    assert.equal((again.body as { id: number }).id, 4);
  });

  test("a snapshot since a version the database still has copies nothing; a commit or a reset gives a new one", async () => {
    const file = (name: string) => path.join(context.root, `since-${name}.db`);
    const first = await shop.snapshotSince(file("first"), undefined);
    assert.match(first?.version ?? "", /^[0-9a-f]{16}\.\d+\.\d+$/, "the episode names its database's version");
    await shop.callTool("get_product", { product_id: 1 });
    await shop.callTool("get_product", { product_id: 99 }); // a 404: nothing committed
    assert.equal(await shop.snapshotSince(file("reads"), first?.version), undefined);
    assert.equal(fs.existsSync(file("reads")), false, "nothing was written");

    await shop.callTool("adjust_stock", { product_id: 2, delta: 1 });
    const changed = await shop.snapshotSince(file("write"), first?.version);
    assert.ok(changed && first && changed.version !== first.version);
    assert.deepEqual((await diffDatabases(first.file, changed.file)).tables.products?.updated.map((row) => row.after), [{ id: 2, name: "Plate", price: 12, stock: 5 }]);
    assert.equal(await shop.snapshotSince(file("again"), changed.version), undefined);

    await shop.reset();
    const reset = await shop.snapshotSince(file("reset"), changed.version);
    assert.ok(reset, "a version of another episode process never matches");
    assert.deepEqual((await diffDatabases(seedDb, reset.file)).tables, {});
  });

  test("code that swaps or overwrites its database file behind SQLite still gets a new snapshot, never a stale one", async () => {
    const swapper = await context.start(
      awmEnvironment(`
import shutil, sqlite3

@app.post("/api/swap", operation_id="swap_database", summary="Replace the database file with an edited copy")
def swap_database():
    live = DATABASE_PATH.replace("sqlite:///", "")
    shutil.copyfile(live, live + ".new")
    edited = sqlite3.connect(live + ".new")
    edited.execute("UPDATE products SET name = 'Swapped' WHERE id = 1")
    edited.commit()
    edited.close()
    os.replace(live + ".new", live)
    return {"swapped": True}


@app.post("/api/overwrite", operation_id="overwrite_database", summary="Overwrite the database file in place, keeping the change counter SQLite last saw")
def overwrite_database():
    live = DATABASE_PATH.replace("sqlite:///", "")
    with open(live, "rb") as handle:
        header = handle.read(100)
    shutil.copyfile(live, live + ".new")
    edited = sqlite3.connect(live + ".new")
    edited.execute("UPDATE products SET name = 'Overwritten' WHERE id = 2")
    edited.commit()
    edited.close()
    with open(live + ".new", "r+b") as handle:
        handle.seek(24)
        handle.write(header[24:28])  # file change counter
        handle.seek(92)
        handle.write(header[92:96])  # version-valid-for
    shutil.copyfile(live + ".new", live)  # the same inode, written over
    os.remove(live + ".new")
    return {"overwritten": True}
`),
      seedDb,
    );
    const before = await swapper.snapshotSince(path.join(context.root, "swap-before.db"), undefined);
    assert.equal((await swapper.callTool("swap_database", {})).ok, true);
    const after = await swapper.snapshotSince(path.join(context.root, "swap-after.db"), before?.version);
    assert.ok(after, "the swapped file is a new version");
    assert.deepEqual((await diffDatabases(seedDb, after.file)).tables.products?.updated.map((row) => row.after.name), ["Swapped"]);

    assert.equal((await swapper.callTool("overwrite_database", {})).ok, true);
    const overwritten = await swapper.snapshotSince(path.join(context.root, "overwritten.db"), after.version);
    assert.ok(overwritten, "the overwritten file is a new version");
    assert.deepEqual((await diffDatabases(seedDb, overwritten.file)).tables.products?.updated.map((row) => row.after.name), ["Swapped", "Overwritten"]);
  });

  test("a 204 the studio did not ask for is refused, and a version not in the episode's form is ignored", async () => {
    const liar = await context.start(
      awmEnvironment(`
import sqlite3
from starlette.responses import Response
from starlette.routing import Route

@app.post("/api/lie", operation_id="lie_about_snapshots", summary="Answer snapshots with a 204, or with a copy under a forged version")
def lie_about_snapshots(copy: bool = False):
    async def forged(request):
        if not copy:
            return Response(status_code=204, headers={"x-awm-db-version": "0123456789abcdef.1.1"})
        source = sqlite3.connect(DATABASE_PATH.replace("sqlite:///", ""))
        data = source.serialize()
        source.close()
        return Response(content=data, media_type="application/vnd.sqlite3", headers={"x-awm-db-version": "../../studio/secrets"})
    app.router.routes.insert(0, Route("/__awm/snapshot", forged, methods=["GET"]))
    return {"lying": True}
`),
      seedDb,
    );
    await liar.callTool("lie_about_snapshots", {});
    const unasked = path.join(context.root, "unasked.db");
    await assert.rejects(liar.snapshotSince(unasked, undefined), /snapshot of the instance's database failed: GET \/__awm\/snapshot answered HTTP 204/);
    assert.equal(fs.existsSync(unasked), false, "nothing was written");
    await liar.callTool("lie_about_snapshots", { copy: true });
    const copy = await liar.snapshotSince(path.join(context.root, "forged-version.db"), undefined);
    assert.deepEqual(copy && { version: copy.version, tables: (await diffDatabases(seedDb, copy.file)).tables }, { version: undefined, tables: {} });
  });

  test("reports the resident memory of its Python process", () => {
    const rss = shop.residentMemoryBytes();
    assert.ok(rss !== undefined && rss > 10 * 2 ** 20, `VmRSS ${rss}`);
  });

  test("stop ends the process and later calls fail clearly", async () => {
    const other = await context.start(SHOP_ENVIRONMENT, seedDb);
    const pid = other.pid;
    await other.stop();
    assert.equal(other.status, "stopped");
    assert.equal(fs.existsSync(other.dir), false, "the instance's folder is removed");
    assert.throws(() => process.kill(pid ?? -1, 0));
    await assert.rejects(other.callTool("get_product", { product_id: 1 }), /instance is stopped/);
    assert.equal(shop.status, "running");
  });
});

describe("children die with the studio process, and their folders go", () => {
  /** Starts a Node process that starts an instance and prints its Python pid; returns both. */
  async function studioWithInstance(dir: string): Promise<{ studio: ChildProcess; python: number }> {
    const script = `
      import { startInstance } from ${JSON.stringify(path.join(import.meta.dirname, "instance.ts"))};
      const instance = await startInstance({ code: ${JSON.stringify(SHOP_ENVIRONMENT)}, seedDbFile: ${JSON.stringify(seedDb)}, dir: ${JSON.stringify(dir)} });
      process.on("SIGTERM", () => process.exit(0)); // as the studio's server does
      console.log("PYTHON " + instance.pythonPid());
      setInterval(() => {}, 1000);`;
    const studio = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    const python = await new Promise<number>((resolve, reject) => {
      studio.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /PYTHON (\d+)/.exec(output);
        if (match) resolve(Number(match[1]));
      });
      studio.once("exit", (code) => reject(new Error(`studio exited with ${code} before starting: ${output}`)));
    });
    return { studio, python };
  }

  test("when it is terminated or killed, its sandboxed servers go too", async () => {
    const [graceful, killed] = await Promise.all([
      studioWithInstance(path.join(context.root, "exit-terminated")),
      studioWithInstance(path.join(context.root, "exit-killed")),
    ]);
    assert.ok(isAlive(graceful.python) && isAlive(killed.python));
    graceful.studio.kill("SIGTERM");
    killed.studio.kill("SIGKILL");
    await eventually(() => !isAlive(graceful.python) && !isAlive(killed.python), 5_000);
    assert.deepEqual([isAlive(graceful.python), isAlive(killed.python)], [false, false]);
    // Their hosts' folders: the one that exited removed its own; the killed one's goes when the next
    // process makes a host folder.
    const foldersOf = (pid: number | undefined) => fs.readdirSync(hostsRoot()).filter((name) => name.startsWith(`${pid}-`));
    await eventually(() => graceful.studio.exitCode !== null && killed.studio.signalCode !== null, 5_000);
    assert.deepEqual(foldersOf(graceful.studio.pid), []);
    // Any process's first host sweeps (tests running beside this one too): after a sweep it is gone.
    removeDeadProcessFolders();
    assert.deepEqual(foldersOf(killed.studio.pid), []);
  });
});

describe("python runtime check", () => {
  test("finds the four packages in Debian's python3", async () => {
    const report = await checkPythonRuntime("/usr/bin/python3");
    assert.deepEqual([report.ok, report.missing], [true, []]);
    assert.deepEqual(Object.keys(report.found).sort(), ["fastapi", "pydantic", "sqlalchemy", "uvicorn"]);
  });

  test("names what an interpreter lacks and how to install it", async (t) => {
    // The pyenv python3 first on PATH here has none of the packages.
    const bare = ["/root/.pyenv/shims/python3", "/usr/local/bin/python3"].find((file) => fs.existsSync(file));
    if (!bare) return t.skip("no second Python interpreter on this machine");
    const report = await checkPythonRuntime(bare);
    assert.equal(report.ok, false);
    assert.ok(report.missing.includes("fastapi"), JSON.stringify(report));
    assert.match(report.installCommand ?? "", new RegExp(`^${bare} -m pip install .*fastapi`));
  });

  test("reports an interpreter that does not exist", async () => {
    const report = await checkPythonRuntime("/nonexistent/python3");
    assert.equal(report.ok, false);
    assert.match(report.error ?? "", /cannot run \/nonexistent\/python3/);
    assert.deepEqual(report.missing, ["fastapi", "sqlalchemy", "uvicorn", "pydantic"]);
  });
});
