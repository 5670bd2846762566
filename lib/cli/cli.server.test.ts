import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { projectRoot, starterLibraryDir } from "../config/paths.ts";
import { readJsonlRecords, tinyShopRecords, writeFixtureFolder } from "../testing/awm-fixture.ts";

const home = fs.mkdtempSync(path.join(os.tmpdir(), "awm-cli-"));

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(projectRoot(), "bin", "awm-studio.mjs"), ...args], {
    env: { ...process.env, AWM_STUDIO_HOME: home },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("import --json prints exactly one JSON document of the documented shape (progress goes to stderr)", () => {
  const { code, stdout, stderr } = cli("import", starterLibraryDir(), "--json");
  assert.equal(code, 0);
  assert.match(stderr, /^\[3\/3\] /m);
  const report = JSON.parse(stdout) as {
    environments: { scenario: string; name: string; counts: Record<string, number>; issues: Record<string, string>[]; problems: { cause: number; consequences: number[] }[] }[];
    errors: unknown[];
  };
  assert.deepEqual(Object.keys(report).sort(), ["environments", "errors", "runId"]);
  assert.equal(report.environments.length, 3);
  for (const env of report.environments) {
    assert.deepEqual(Object.keys(env).sort(), ["counts", "issues", "kept", "name", "problems", "scenario", "status"]);
    const listed = env.problems.flatMap((problem) => [problem.cause, ...problem.consequences]).sort((a, b) => a - b);
    assert.deepEqual(listed, env.issues.map((_, index) => index), "every issue once, as a cause or a consequence");
    assert.deepEqual(Object.keys(env.counts).sort(), ["seedFailures", "seedRows", "tables", "tasks", "tools", "verifiers"]);
    for (const issue of env.issues) {
      assert.deepEqual(Object.keys(issue).sort(), ["message", "severity", "stage", "where"]);
      assert.ok(["scenario", "tasks", "schema", "seed", "spec", "code", "verifier"].includes(issue.stage!));
      assert.ok(["error", "warning"].includes(issue.severity!));
    }
  }
  const garden = report.environments.find((env) => env.name === "sprout_lane_community_garden_plots");
  assert.equal(garden?.counts.seedFailures, 1);
  assert.ok(garden?.issues.some((issue) => /NOT NULL constraint failed: tool_reservations\.reserved_for/.test(issue.message!)));
  const bikes = report.environments.find((env) => env.name === "spoke_chain_bike_repair_tickets")!;
  const cutOff = bikes.problems.find((problem) => bikes.issues[problem.cause]?.message === "CREATE TABLE ticket_notes is cut off (SQLite: incomplete input)");
  assert.deepEqual(
    cutOff?.consequences.map((index) => bikes.issues[index]?.where),
    ["gen_db.jsonl line 3, table ticket_notes, indexes[0]", ...[0, 1, 2, 3].map((n) => `gen_sample.jsonl line 3, table ticket_notes, insert_statements[${n}]`)],
  );
});

test("import prints each problem once with the issues that follow from it indented under it, and ends with the totals", () => {
  const { code, stdout, stderr } = cli("import", starterLibraryDir(), "--skip-verifier-health");
  assert.equal(code, 0);
  assert.match(stdout.trimEnd().split("\n").at(-1) ?? "", /^Total: 3 environment\(s\): 0 created, 0 updated, 3 unchanged; \d+ with errors; 0 error\(s\) reading the folder or importing$/);
  assert.match(stderr, /^\[1\/3\] /m, "progress, one line per environment");
  const bikes = stdout.slice(stdout.indexOf("spoke_chain_bike_repair_tickets:"));
  assert.match(bikes, /^spoke_chain_bike_repair_tickets: \d+ problems\n {2}error +schema +gen_db\.jsonl line 3, table ticket_notes: CREATE TABLE ticket_notes is cut off.*\n {6}5 consequences:\n {6}error +schema +gen_db\.jsonl line 3, table ticket_notes, indexes\[0\]: Index failed/);
});

test("list --json shows the library with health", () => {
  const { code, stdout } = cli("list", "--json");
  assert.equal(code, 0);
  const { environments } = JSON.parse(stdout) as { environments: { name: string; health: string }[] };
  const health = Object.fromEntries(environments.map((env) => [env.name, env.health]));
  assert.equal(health.maple_street_library_lending_desk, "ok");
  assert.equal(health.spoke_chain_bike_repair_tickets, "errors");
});

test("export --env writes AWM files that re-read to the imported values", () => {
  const source = writeFixtureFolder([tinyShopRecords("Cli Shop")]);
  assert.equal(cli("import", source).code, 0);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "awm-cli-export-"));
  const { code, stdout } = cli("export", out, "--env", "cli_shop");
  assert.equal(code, 0, stdout);
  assert.deepEqual(readJsonlRecords(out), readJsonlRecords(source));
});

test("bad input: unknown environment, missing folder and bad usage say what is wrong", () => {
  const unknown = cli("export", fs.mkdtempSync(path.join(os.tmpdir(), "awm-cli-x-")), "--env", "no_such_env");
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /unknown environment\(s\): no_such_env/);
  // A path that is no folder is refused before an import run is recorded; a folder without AWM files imports nothing, and says so.
  const missing = cli("import", "/nonexistent/awm-folder", "--json");
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /\/nonexistent\/awm-folder is no such folder: import reads a folder of AWM files/);
  const empty = cli("import", fs.mkdtempSync(path.join(os.tmpdir(), "awm-cli-empty-")));
  assert.equal(empty.code, 1);
  assert.match(empty.stdout, /No AWM files in this folder \(expected any of gen_scenario\.jsonl, /);
  const notEmpty = cli("export", starterLibraryDir(), "--env", "cli_shop");
  assert.equal(notEmpty.code, 1);
  assert.match(notEmpty.stderr, /is not empty: export writes AWM files into a new or empty folder \(it would replace the gen_\*\.jsonl files there\)/);
  const usage = cli("import");
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /usage: awm-studio import <folder>/);
});

test("each command answers --help and `help <command>` with its usage (exit 0); a wrong option is a usage error (exit 2)", () => {
  for (const args of [["rollout", "--help"], ["rollout", "-h"], ["rollout", "x", "--help"], ["help", "rollout"]]) {
    const help = cli(...args);
    assert.equal(help.code, 0, args.join(" "));
    assert.match(help.stdout, /^usage: awm-studio rollout <env> --tasks <i,j,\.\.\.\|all> .*\n\nrun the agent model on tasks in rollout groups/, args.join(" "));
  }
  const wrong = cli("list", "--bogus");
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /^awm-studio list: Unknown option '--bogus'.*\nusage: awm-studio list \[--issue-kind /s);
  const unknown = cli("help", "nonesuch");
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^unknown command: nonesuch\nUsage:/);
  const failed = cli("mark-task", "no_such_environment", "0", "--clear");
  assert.equal(failed.code, 1, "a command that runs and fails exits 1");
});

test("doctor names every protection in force and lists the ones that are off", () => {
  const on = cli("doctor", "--json");
  const report = JSON.parse(on.stdout) as { protections: { sandbox: { enforced: boolean }; limits: { name: string; enforced: boolean }[]; off: string[] }; access: { auth: string } };
  assert.equal(report.access.auth, "on");
  assert.deepEqual(
    report.protections.limits.map((limit) => limit.name),
    ["processes", "memory of the process tree", "CPU of the process tree", "memory of each process", "size of /tmp", "size of the instance folder", "largest file", "call time", "instance folders removed", "episodes apart", "database reader"],
  );
  // This kernel (6.12 or later) scopes an episode's signals: episode-isolation.server.test.ts performs the kill.
  assert.equal(report.protections.limits.find((limit) => limit.name === "episodes apart")?.enforced, true);
  assert.ok(!report.protections.off.includes("auth"));
  const offResult = spawnSync(process.execPath, [path.join(projectRoot(), "bin", "awm-studio.mjs"), "doctor"], {
    env: { ...process.env, AWM_STUDIO_HOME: home, AWM_STUDIO_AUTH: "off" },
    encoding: "utf8",
  });
  assert.match(offResult.stdout, /^auth {5}OFF \(AWM_STUDIO_AUTH=off\)/m);
  assert.match(offResult.stdout, /^protections OFF: .*\bauth\b/m);
});

test("token and doctor name the running studio's own address (it may listen on another port), else this machine's settings", () => {
  assert.doesNotMatch(cli("token").stdout, /:3599\//);
  fs.writeFileSync(path.join(home, "studio-url"), "http://127.0.0.1:3599/\n");
  try {
    assert.match(cli("token").stdout, /^open: {3}http:\/\/127\.0\.0\.1:3599\/\?token=/m);
    assert.match(cli("doctor").stdout, /the studio server last started at http:\/\/127\.0\.0\.1:3599\//);
  } finally {
    fs.rmSync(path.join(home, "studio-url"));
  }
});
