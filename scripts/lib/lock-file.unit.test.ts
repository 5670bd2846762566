import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { installPlan, lockFileGaps, type LockFile, type Manifest } from "./lock-file.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));

test("a lock file written where the registry hid other platforms' packages is named in one line, so npm install runs instead of npm ci", () => {
  const manifest = readJson("package.json") as Manifest;
  const lock = readJson("package-lock.json") as Required<LockFile>;
  const packages = Object.fromEntries(Object.entries(lock.packages).filter(([location]) => !location.startsWith("node_modules/@next/swc-darwin-")));
  const gaps = lockFileGaps(manifest, { ...lock, packages });
  assert.ok(gaps.includes("@next/swc-darwin-arm64 (needed by next)"), gaps.join("\n"));
  assert.ok(gaps.includes("@next/swc-darwin-x64 (needed by next)"), gaps.join("\n"));

  const plan = installPlan(manifest, { ...lock, packages });
  assert.equal(plan.command, "install");
  assert.match(plan.command === "install" ? plan.reason : "", /^package-lock\.json lacks \d+ package\(s\) npm ci would need \(.*@next\/swc-darwin-arm64 \(needed by next\).*\), so npm ci would refuse it$/);
  assert.doesNotMatch(plan.command === "install" ? plan.reason : "", /\n/);
});

test("a complete lock file goes to npm ci; a changed package.json or a missing lock file does not", () => {
  const manifest = { dependencies: { next: "16.4.6" }, devDependencies: { typescript: "^5.9.3" } };
  const lock = {
    packages: {
      "": { dependencies: { next: "16.4.6" }, devDependencies: { typescript: "^5.9.3" } },
      "node_modules/next": { optionalDependencies: { "@next/swc-linux-x64-gnu": "16.4.6" }, peerDependencies: { sass: "*", react: "*" }, peerDependenciesMeta: { sass: { optional: true } } },
      "node_modules/next/node_modules/react": {},
      "node_modules/@next/swc-linux-x64-gnu": {},
      "node_modules/typescript": {},
    },
  };
  assert.deepEqual(installPlan(manifest, lock), { command: "ci" }, "nested and hoisted packages resolve; optional peers are not needed");
  assert.deepEqual(lockFileGaps({ ...manifest, dependencies: { next: "16.5.0" } }, lock), ["next@16.5.0 (package.json dependencies, not in the lock file as written)"]);
  assert.deepEqual(installPlan(manifest, undefined), { command: "install", reason: "there is no package-lock.json" });
});
