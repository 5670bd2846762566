/**
 * Can this machine run environment code? The interpreter with its packages and the sandbox, each
 * with the exact step that fixes it, for the Settings page, `awm-studio doctor` and start errors.
 */
import { instanceManagerLimits } from "./limits.ts";
import { describeProtections, type ProtectionReport } from "./protections.ts";
import { checkPythonRuntime, defaultPython, type PythonRuntimeReport } from "./python-runtime.ts";
import { detectSandbox, type SandboxAvailability } from "./sandbox.ts";

export interface RuntimeStatus {
  python: PythonRuntimeReport;
  sandbox: SandboxAvailability;
  allowUnsandboxed: boolean;
  /** Environment code can run (sandboxed, or unsandboxed because the user allowed it). */
  ready: boolean;
  /** What to do, one step a line; empty when ready and sandboxed. */
  advice: string[];
  /** The sandbox and each resource limit, in force or not. */
  protections: ProtectionReport;
}

export async function runtimeStatus(python = defaultPython()): Promise<RuntimeStatus> {
  const report = await checkPythonRuntime(python);
  const sandbox = detectSandbox();
  const { allowUnsandboxed } = instanceManagerLimits();
  const advice: string[] = [];
  if (report.error) advice.push(`${report.error}; point AWM_STUDIO_PYTHON at a Python 3 interpreter`);
  else if (report.installCommand) advice.push(`${python} lacks ${report.missing.join(", ")}: ${report.installCommand}`);
  if (!sandbox.available) {
    advice.push(
      allowUnsandboxed
        ? `environment code runs WITHOUT a sandbox (AWM_STUDIO_ALLOW_UNSANDBOXED=1): ${sandbox.reason}`
        : `${sandbox.reason}; install bubblewrap (apt-get install bubblewrap), or set AWM_STUDIO_ALLOW_UNSANDBOXED=1 to run untrusted code unsandboxed`,
    );
  }
  return { python: report, sandbox, allowUnsandboxed, ready: report.ok && (sandbox.available || allowUnsandboxed), advice, protections: describeProtections(undefined, report.signalScopingMissing) };
}
