/**
 * What the CLI prints of untrusted text cannot drive the terminal: an environment whose name and task
 * carry escape sequences (clear the screen, a hyperlink, a window title), a bidi override and a line
 * break, listed and imported by the CLI as its own process.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, test } from "node:test";
import { tinyShopRecords, writeFixtureFolder } from "../testing/awm-fixture.ts";
import { spawnCli } from "../testing/spawn-cli.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";
import { terminalSafe } from "./output.ts";

const home = useTempStudioHome("awm-terminal-safe-");
after(() => fs.rmSync(home, { recursive: true, force: true }));

const HOSTILE = /[\x1b\x07\u202e\r]/;

test("escape sequences, bidi overrides and carriage returns are printed as \\u escapes; --json stays JSON with the same values", () => {
  assert.equal(terminalSafe("a\x1b[2Jb\u202ec\nd\te"), "a\\u001b[2Jb\\u202ec\nd\te");
  const json = JSON.stringify({ name: "x\x7f\u202ey" });
  assert.deepEqual(JSON.parse(terminalSafe(json)), { name: "x\x7f\u202ey" });
});

test("the CLI lists and imports an environment with a hostile name and task without writing a control character", async () => {
  const shop = tinyShopRecords("Ansi\u202e Shop");
  shop.tasks.tasks[0] = "Rename \x1b]0;PWNED\x07\x1b[31mproduct\x1b[0m 1 to 'Blue Mug'.";
  shop.scenario.description = "\x1b[2J\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07";
  const imported = await spawnCli(["import", writeFixtureFolder([shop])], { AWM_STUDIO_HOME: home }).exit;
  assert.equal(imported.code, 0, imported.stderr);
  const listed = await spawnCli(["list"], { AWM_STUDIO_HOME: home }).exit;
  assert.equal(listed.code, 0, listed.stderr);
  for (const [what, text] of Object.entries({ import: imported.stdout + imported.stderr, list: listed.stdout + listed.stderr })) {
    assert.doesNotMatch(text, HOSTILE, `${what} wrote a control character`);
  }
  assert.match(listed.stdout, /Ansi\\u202e Shop/);
});
