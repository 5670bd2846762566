/** Runs a resolved call on the episode's instance and says what the model reads back. */
import { callInstanceTool, getInstance, instanceTools } from "../instances/manager.ts";
import { describeCatalog } from "../mcp/awm-view.ts";
import { toolCallResult } from "../mcp/tool-result.ts";
import { InfraFailure } from "./infra-failure.ts";
import type { CallAction } from "./resolve-call.ts";

export interface CallOutcome {
  /** The tool's answer; on an HTTP error "HTTP <status>: " and the environment's own error text. */
  text: string;
  /** On a 5xx: the Python traceback the environment logged for it, when it logged one. */
  traceback?: string;
  isError: boolean;
  durationMs: number;
}

export async function executeCall(instanceId: string, action: Exclude<CallAction, { kind: "malformed" }>, timeoutMs: number): Promise<CallOutcome> {
  if (action.kind === "list_tools") return { text: describeCatalog(instanceTools(instanceId)), isError: false, durationMs: 0 };
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new InfraFailure("environment", `tool call ${action.tool.name} took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  const stderrBefore = getInstance(instanceId).stderrTail;
  try {
    const result = await Promise.race([callInstanceTool(instanceId, action.tool.name, action.args, { validate: false }), timeout]);
    const answer = toolCallResult(result);
    const text = answer.content.map((part) => (part.type === "text" ? part.text : "")).join("");
    const durationMs = Math.round(performance.now() - started);
    const traceback = result.status >= 500 ? await loggedTraceback(instanceId, stderrBefore) : undefined;
    return { text, ...(traceback && { traceback }), isError: !result.ok, durationMs };
  } catch (error) {
    if (error instanceof InfraFailure) throw error;
    throw new InfraFailure("environment", `tool call ${action.tool.name} failed: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

const TRACEBACK = "Traceback (most recent call last)";
const TRACEBACK_WAIT_MS = 500;
/** The stderr tail is capped, so a deep traceback may have lost its head: keep its innermost frames. */
const INNERMOST_LINES = 10;

/** uvicorn logs the traceback just after it sends the 500: wait briefly for it in stderr. */
async function loggedTraceback(instanceId: string, stderrBefore: string): Promise<string | undefined> {
  const deadline = performance.now() + TRACEBACK_WAIT_MS;
  for (;;) {
    const tail = getInstance(instanceId).stderrTail.trimEnd();
    const lastLine = tail.slice(tail.lastIndexOf("\n") + 1);
    if (tail !== stderrBefore.trimEnd() && /^\w+(\.\w+)*(Error|Exception)\b/.test(lastLine)) {
      const at = tail.lastIndexOf(TRACEBACK);
      return at >= 0 ? tail.slice(at) : tail.split("\n").slice(-INNERMOST_LINES).join("\n");
    }
    if (performance.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
