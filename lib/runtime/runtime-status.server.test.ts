import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";
import { UnavailableError } from "../errors.ts";

useTempStudioHome("awm-runtime-status-");
const { runtimeStatus } = await import("./runtime-status.ts");
const { importTinyShop, TINY_SHOP } = await import("../testing/tiny-shop-instance.ts");
const manager = await import("../instances/manager.ts");

/** Debian's Python with `-S`: the interpreter runs, but dist-packages (fastapi & co.) are not on its path. */
function interpreterWithoutPackages(): string {
  const bin = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "awm-bare-python-")), "bin");
  fs.mkdirSync(bin);
  const file = path.join(bin, "python3");
  fs.writeFileSync(file, `#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n`, { mode: 0o755 });
  return file;
}

after(() => manager.stopAll());

test("Debian's interpreter with its packages and bubblewrap is ready", async () => {
  const status = await runtimeStatus("/usr/bin/python3");
  assert.equal(status.ready, true, status.advice.join("\n"));
  assert.deepEqual(status.python.missing, []);
  assert.equal(status.sandbox.available, true);
});

test("an interpreter without the packages is not ready, and the advice is the exact install command", async () => {
  const python = interpreterWithoutPackages();
  const status = await runtimeStatus(python);
  assert.equal(status.ready, false);
  assert.ok(status.python.missing.includes("fastapi"), JSON.stringify(status.python));
  assert.match(status.advice.join("\n"), new RegExp(`${python} -m pip install .*fastapi`));
});

test("starting an instance on such an interpreter fails as unavailable (503), saying what to install", async () => {
  await importTinyShop();
  process.env.AWM_STUDIO_PYTHON = interpreterWithoutPackages();
  try {
    await assert.rejects(manager.createInstance(TINY_SHOP), (error: Error) => {
      assert.ok(error instanceof UnavailableError, `${error.name}: the route answers 503`);
      assert.match(error.message, /lacks fastapi.*pip install/);
      return true;
    });
  } finally {
    delete process.env.AWM_STUDIO_PYTHON;
  }
  const healthy = await manager.createInstance(TINY_SHOP);
  assert.equal(healthy.status, "running");
});
