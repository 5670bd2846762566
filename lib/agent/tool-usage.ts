/** Which tools a rollout job's agents called, how often, and how often the call failed or was malformed. */
import { studioDb, type StudioTx } from "../store/db.ts";

export interface ToolUsage {
  tool: string;
  calls: number;
  errors: number;
  malformed: number;
}

/** Malformed calls without a parsable name are counted under this name. */
const UNNAMED_CALL = "(no tool name)";

export async function rolloutToolUsage(jobId: string, db: StudioTx = studioDb()): Promise<ToolUsage[]> {
  const steps = await db.trajectoryStep.findMany({
    where: { trajectory: { jobId }, OR: [{ toolName: { not: null } }, { malformed: true }] },
    select: { toolName: true, isError: true, malformed: true },
  });
  const usage = new Map<string, ToolUsage>();
  for (const step of steps) {
    const tool = step.toolName ?? UNNAMED_CALL;
    const entry = usage.get(tool) ?? { tool, calls: 0, errors: 0, malformed: 0 };
    entry.calls++;
    if (step.malformed) entry.malformed++;
    else if (step.isError) entry.errors++;
    usage.set(tool, entry);
  }
  return [...usage.values()].sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool));
}
