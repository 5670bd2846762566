/** Runs a resolved call on the episode's instance and says what the model reads back. */
import { callInstanceTool, instanceTools } from "../instances/manager.ts";
import { InstanceUnavailableError, type CaptureRequest } from "../runtime/instance.ts";
import { messageOf } from "../errors.ts";
import { describeCatalog } from "../mcp/awm-view.ts";
import { toolCallText } from "../mcp/tool-result.ts";
import { InfraFailure } from "./infra-failure.ts";
import type { CallAction } from "./resolve-call.ts";

export interface CallOutcome {
  /** The tool's answer; on an HTTP error "HTTP <status>: ", the environment's own error text and, on a 5xx, its traceback. */
  text: string;
  isError: boolean;
  durationMs: number;
  /** The version of the database copy the episode captured after the call, when `capture` named one. */
  captured?: string;
}

/** `capture`: the copy of the database the episode takes as the call leaves it (see EnvironmentInstance.callTool). */
export async function executeCall(instanceId: string, action: Exclude<CallAction, { kind: "malformed" }>, timeoutMs: number, capture?: CaptureRequest): Promise<CallOutcome> {
  if (action.kind === "list_tools") return { text: describeCatalog(instanceTools(instanceId)), isError: false, durationMs: 0 };
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new InfraFailure("environment", `tool call ${action.tool.name} took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const result = await Promise.race([callInstanceTool(instanceId, action.tool.name, action.args, { validate: false, capture }), timeout]);
    return { text: toolCallText(result), isError: !result.ok, durationMs: Math.round(performance.now() - started), ...(result.captured && { captured: result.captured }) };
  } catch (error) {
    if (error instanceof InfraFailure) throw error;
    // The instance's own errors name the call already ("tool call x failed: instance crashed (…)").
    throw new InfraFailure("environment", error instanceof InstanceUnavailableError ? error.message : `tool call ${action.tool.name} failed: ${messageOf(error)}`);
  } finally {
    clearTimeout(timer);
  }
}
