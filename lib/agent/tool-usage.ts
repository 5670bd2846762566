/** Which tools a rollout job's agents called, how often, and how often the call failed or was malformed. */
import { studioDb, type StudioTx } from "../store/db.ts";

export interface ToolUsage {
  tool: string;
  calls: number;
  errors: number;
  malformed: number;
}

/** A job's tool usage over all its tasks, and per task (tasks without a call are left out). */
export interface RolloutToolUsage {
  all: ToolUsage[];
  byTask: { taskIdx: number; usage: ToolUsage[] }[];
}

/** Malformed calls without a parsable name are counted under this name. */
const UNNAMED_CALL = "(no tool name)";

type CallRow = { toolName: string | null; toolArguments: string | null; isError: boolean; malformed: boolean };

export async function rolloutToolUsage(jobId: string, db: StudioTx = studioDb()): Promise<RolloutToolUsage> {
  const steps = await db.trajectoryStep.findMany({
    where: { trajectory: { jobId }, OR: [{ toolName: { not: null } }, { malformed: true }] },
    select: { toolName: true, toolArguments: true, isError: true, malformed: true, trajectory: { select: { taskIdx: true } } },
  });
  const perTask = new Map<number, CallRow[]>();
  for (const step of steps) {
    const { taskIdx } = step.trajectory;
    if (taskIdx === null) continue; // a rollout job plays tasks by index: no free-text task is one of its own
    const rows = perTask.get(taskIdx) ?? [];
    rows.push(step);
    perTask.set(taskIdx, rows);
  }
  const byTask = [...perTask.entries()].sort(([a], [b]) => a - b).map(([taskIdx, rows]) => ({ taskIdx, usage: tally(rows) }));
  return { all: tally(steps), byTask };
}

/** Calls per tool, the most called first. */
function tally(steps: CallRow[]): ToolUsage[] {
  const usage = new Map<string, ToolUsage>();
  for (const step of steps) {
    const tool = toolCalled(step);
    const entry = usage.get(tool) ?? { tool, calls: 0, errors: 0, malformed: 0 };
    entry.calls++;
    if (step.malformed) entry.malformed++;
    else if (step.isError) entry.errors++;
    usage.set(tool, entry);
  }
  return [...usage.values()].sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool));
}

/**
 * The environment tool a call was for. A call that ran is stored under it; a malformed call_tool
 * (AWM's meta-tool) under call_tool, with the tool it named in its own arguments: counted there, so
 * the table says which tool's schema tripped the model.
 */
function toolCalled(step: CallRow): string {
  if (step.toolName !== "call_tool" || step.toolArguments === null) return step.toolName ?? UNNAMED_CALL;
  try {
    const named = (JSON.parse(step.toolArguments) as { tool_name?: unknown } | null)?.tool_name;
    return typeof named === "string" && named !== "" ? named : step.toolName;
  } catch {
    return step.toolName; // raw text that did not parse
  }
}
