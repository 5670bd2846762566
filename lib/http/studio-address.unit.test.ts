import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { readStudioAddress, removeStudioAddress, studioBaseUrl, writeStudioAddress } from "./studio-address.ts";

test("the CLI finds the studio where its server said it listens; AWM_STUDIO_URL overrides; without either, the settings", () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "awm-studio-address-"));
  const file = path.join(home, "studio-url");
  try {
    assert.equal(studioBaseUrl("http://127.0.0.1:3000/", {}, file), "http://127.0.0.1:3000/");
    writeStudioAddress("http://127.0.0.1:3517/", file);
    assert.equal((fs.statSync(file).mode & 0o777).toString(8), "600");
    assert.equal(studioBaseUrl("http://127.0.0.1:3000/", {}, file), "http://127.0.0.1:3517/");
    assert.equal(studioBaseUrl("http://127.0.0.1:3000/", { AWM_STUDIO_URL: "http://10.0.0.2:8080/" }, file), "http://10.0.0.2:8080/");
    // A server that stops removes only its own address.
    removeStudioAddress("http://127.0.0.1:4000/", file);
    assert.equal(readStudioAddress(file), "http://127.0.0.1:3517/");
    removeStudioAddress("http://127.0.0.1:3517/", file);
    assert.equal(readStudioAddress(file), undefined);
    // What is not a URL is not used.
    fs.writeFileSync(file, "file:///etc/passwd\n");
    assert.equal(studioBaseUrl("http://127.0.0.1:3000/", {}, file), "http://127.0.0.1:3000/");
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
