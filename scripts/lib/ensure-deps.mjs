// Installs what the studio needs and is not yet there: npm packages, Debian packages, the Prisma client.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { installPlan } from "./lock-file.mjs";
import { projectRoot, runOrThrow, say } from "./process.mjs";

/** Debian packages the environments' Python code and its sandbox need. */
export const RUNTIME_PACKAGES = ["python3-fastapi", "python3-sqlalchemy", "python3-uvicorn", "bubblewrap"];
/** Extra Debian packages for the browser tests and the benchmark. */
export const BROWSER_PACKAGES = ["chromium"];

const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : undefined);

export function ensureNpmDependencies() {
  // npm writes node_modules/.package-lock.json on every install; older than the lock means stale.
  const installed = mtime(path.join(projectRoot, "node_modules", ".package-lock.json"));
  const wanted = mtime(path.join(projectRoot, "package-lock.json"));
  if (installed !== undefined && wanted !== undefined && installed >= wanted) {
    say("npm dependencies: up to date");
    return;
  }
  const why = installed === undefined ? "missing" : "older than package-lock.json";
  const plan = installPlan(readJson("package.json"), wanted === undefined ? undefined : readJson("package-lock.json"));
  if (plan.command === "install") {
    say(`npm dependencies: ${why}; ${plan.reason}: running npm install, which completes it`);
    runOrThrow("npm", ["install", "--no-audit", "--no-fund"]);
    return;
  }
  say(`npm dependencies: ${why}, running npm ci`);
  try {
    runOrThrow("npm", ["ci", "--no-audit", "--no-fund"]);
  } catch (error) {
    say(`npm dependencies: ${error.message}; running npm install instead`);
    runOrThrow("npm", ["install", "--no-audit", "--no-fund"]);
  }
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(path.join(projectRoot, file), "utf8"));
}

function isInstalled(pkg) {
  const result = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  return result.status === 0 && result.stdout.includes("install ok installed");
}

/**
 * On Debian as root, apt-get installs the missing packages; anywhere else it prints what to install
 * and carries on (the parts that need them say so when used).
 */
export function ensureSystemPackages(packages) {
  const onDebian = fs.existsSync("/etc/debian_version");
  if (!onDebian) {
    say(`system packages: not Debian; make sure these (or equivalents) are installed: ${packages.join(" ")}`);
    return;
  }
  const missing = packages.filter((pkg) => !isInstalled(pkg));
  if (missing.length === 0) {
    say(`system packages: present (${packages.join(" ")})`);
    return;
  }
  if (process.getuid?.() !== 0) {
    say(`system packages: missing; install them with: sudo apt-get install -y ${missing.join(" ")}`);
    return;
  }
  say(`system packages: installing ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  runOrThrow("apt-get", ["update", "-q"], { env });
  runOrThrow("apt-get", ["install", "-y", "-q", ...missing], { env });
}

/** Generates the Prisma client when it is missing or older than prisma/schema.prisma. */
export function ensurePrismaClient() {
  const client = mtime(path.join(projectRoot, "lib", "store", "generated", "client.ts"));
  const schema = mtime(path.join(projectRoot, "prisma", "schema.prisma"));
  if (client !== undefined && schema !== undefined && client >= schema) {
    say("prisma client: up to date");
    return;
  }
  say("prisma client: generating");
  runOrThrow(process.execPath, [path.join(projectRoot, "scripts", "prisma-generate.mjs")]);
}
