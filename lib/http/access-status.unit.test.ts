import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { accessStatus } from "./access-status.ts";
import { ensureStudioToken, studioTokenFile } from "./studio-token.ts";

test("doctor's access report: auth, token file and its mode, the names answered, and what is weak", () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "awm-access-status-"));
  try {
    const fresh = accessStatus({ host: "127.0.0.1", port: 3000 }, {}, home);
    assert.deepEqual(
      { auth: fresh.auth, beyondLoopback: fresh.beyondLoopback, tokenFileMode: fresh.tokenFileMode, homeMode: fresh.homeMode, problems: fresh.problems },
      { auth: "on", beyondLoopback: false, tokenFileMode: undefined, homeMode: "0700", problems: [] },
    );
    assert.equal(fresh.tokenFile, studioTokenFile(home));
    assert.deepEqual(fresh.allowedHosts, ["127.0.0.1:3000", "localhost:3000", "[::1]:3000"]);

    ensureStudioToken(studioTokenFile(home));
    fs.chmodSync(home, 0o755);
    const off = accessStatus({ host: "127.0.0.1", port: 3000 }, { AWM_STUDIO_AUTH: "off" }, home);
    assert.equal(off.auth, "off");
    assert.equal(off.tokenFileMode, "0600");
    assert.match(off.problems.join("\n"), /auth is off/);
    assert.match(off.problems.join("\n"), /has mode 0755/);

    const lan = accessStatus({ host: "0.0.0.0", port: 8080 }, { AWM_STUDIO_AUTH: "off" }, home);
    assert.equal(lan.auth, "on");
    assert.match(lan.problems.join("\n"), /AWM_STUDIO_AUTH=off is refused/);
    assert.match(lan.problems.join("\n"), /AWM_STUDIO_ALLOWED_HOSTS/);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
