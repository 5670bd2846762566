/** The Python interpreter that runs environment code, and what it lacks to do so. */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../config/paths.ts";
import { exactEnv, type SandboxMount } from "./sandbox.ts";

export const REQUIRED_PYTHON_MODULES = ["fastapi", "sqlalchemy", "uvicorn", "pydantic"] as const;
export type PythonModule = (typeof REQUIRED_PYTHON_MODULES)[number];

const DEBIAN_PACKAGES: Record<PythonModule, string> = {
  fastapi: "python3-fastapi",
  sqlalchemy: "python3-sqlalchemy",
  uvicorn: "python3-uvicorn",
  pydantic: "python3-pydantic",
};

export interface PythonRuntimeReport {
  python: string;
  ok: boolean;
  /** Version of each module found, by name. */
  found: Partial<Record<PythonModule, string>>;
  missing: PythonModule[];
  /** The command that installs what is missing (apt for Debian's /usr/bin/python3, pip otherwise). */
  installCommand?: string;
  /** Why an episode cannot keep its signals to itself on this kernel, as this interpreter finds (null: it can). */
  signalScopingMissing: string | null;
  /** Set when the interpreter itself could not run. */
  error?: string;
}

/** AWM_STUDIO_PYTHON, else Debian's /usr/bin/python3 (the `python3` first on PATH may lack the packages). */
export function defaultPython(): string {
  return process.env.AWM_STUDIO_PYTHON ?? "/usr/bin/python3";
}

/** Folder of the Python files the studio ships (launcher, pydantic compatibility layer). */
export function runtimePythonDir(): string {
  return path.join(projectRoot(), "lib", "runtime", "python");
}

const PROBE = `
import importlib, json, sys
sys.path.insert(0, ${JSON.stringify(runtimePythonDir())})
from sandbox_process import signal_scoping_missing
found = {}
for name in ${JSON.stringify(REQUIRED_PYTHON_MODULES)}:
    try:
        module = importlib.import_module(name)
        found[name] = str(getattr(module, "__version__", None) or getattr(module, "VERSION", "unknown"))
    except Exception:
        pass
print(json.dumps({"modules": found, "signal_scoping_missing": signal_scoping_missing()}))
`;

export async function checkPythonRuntime(python = defaultPython()): Promise<PythonRuntimeReport> {
  const outcome = await new Promise<{ stdout: string; error?: string }>((resolve) => {
    execFile(python, ["-B", "-s", "-c", PROBE], { timeout: 20_000, env: exactEnv({ PATH: "/usr/bin:/bin" }) }, (error, stdout, stderr) => {
      resolve(error ? { stdout, error: `cannot run ${python}: ${(stderr || error.message).trim()}` } : { stdout });
    });
  });
  let found: PythonRuntimeReport["found"] = {};
  let signalScopingMissing: string | null = "the runtime's interpreter could not say whether this kernel scopes signals";
  if (!outcome.error) ({ modules: found, signal_scoping_missing: signalScopingMissing } = JSON.parse(outcome.stdout) as { modules: PythonRuntimeReport["found"]; signal_scoping_missing: string | null });
  const missing = REQUIRED_PYTHON_MODULES.filter((name) => !(name in found));
  return {
    python,
    ok: !outcome.error && missing.length === 0,
    found,
    missing,
    installCommand: missing.length > 0 ? installCommand(python, missing) : undefined,
    error: outcome.error,
    signalScopingMissing,
  };
}

function installCommand(python: string, missing: PythonModule[]): string {
  if (python.startsWith("/usr/bin/")) return `apt-get install ${missing.map((name) => DEBIAN_PACKAGES[name]).join(" ")}`;
  return `${python} -m pip install ${missing.join(" ")}`;
}

/** An interpreter outside /usr (pyenv, a virtualenv) needs its own prefix visible, read-only. */
export function interpreterMounts(python: string): SandboxMount[] {
  const prefixes = new Set([python, fs.realpathSync(python)].map((file) => path.dirname(path.dirname(file))));
  return [...prefixes].filter((prefix) => prefix !== "/usr" && prefix !== "/").map((prefix) => ({ host: prefix, inside: prefix }));
}
