/**
 * Secrets at rest: another user on the machine cannot read the studio's files. Starts from the worst
 * case, an install made under the usual umask 022 (a world-readable studio.db holding the API key),
 * then opens the studio the way every studio process does.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";

process.umask(0o022);
const home = useTempStudioHome("awm-hostile-modes-");
const { migrationsDir } = await import("./paths.ts");
const { applyMigrations } = await import("../store/migrate.ts");
const { closeStudioDb, studioDb } = await import("../store/db.ts");
const { saveLlmSettings } = await import("../llm/settings.ts");
const { importFolder } = await import("../library/import.ts");
const { tinyShopRecords, writeFixtureFolder } = await import("../testing/awm-fixture.ts");
const { tokenCommand } = await import("../cli/commands/token.ts");

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const database = path.join(home, "studio.db");

after(async () => {
  await closeStudioDb();
  fs.rmSync(home, { recursive: true, force: true });
});

/** Every folder and file under the home with a mode other than 0700 / 0600. */
function openEntries(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return [...(mode(full) === 0o700 ? [] : [`${full} ${mode(full).toString(8)}`]), ...openEntries(full)];
    return entry.isFile() && mode(full) !== 0o600 ? [`${full} ${mode(full).toString(8)}`] : [];
  });
}

test("an old world-readable home and studio.db are narrowed when the studio opens them; the key is saved owner-only", async () => {
  fs.chmodSync(home, 0o755);
  applyMigrations(database, migrationsDir());
  assert.equal(mode(database), 0o644, "the old install is world-readable");

  await saveLlmSettings({ apiKey: "sk-at-rest-0123456789abcdef" }, studioDb());
  assert.equal(mode(home), 0o700);
  for (const file of [database, `${database}-wal`, `${database}-shm`]) if (fs.existsSync(file)) assert.equal(mode(file), 0o600, file);
});

test("environment folders, seed databases and the token are created owner-only", async () => {
  const report = await importFolder(writeFixtureFolder([tinyShopRecords()]));
  assert.equal(report.environments.length, 1, JSON.stringify(report.errors));
  const printed: string[] = [];
  assert.equal(await tokenCommand(["--raw"], { out: (text) => printed.push(text), err: (text) => printed.push(text) }), 0);
  assert.match(printed.join(""), /^[A-Za-z0-9_-]{43}$/);
  assert.equal(mode(path.join(home, "studio-token")), 0o600);
  assert.ok(fs.readdirSync(path.join(home, "envs")).length > 0, "the import wrote the environment's folder");
  assert.deepEqual(openEntries(home), []);
});
