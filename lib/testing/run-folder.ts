/**
 * Builds a real AWM run folder for tests: starts the environment, snapshots initial.db, makes the
 * given tool calls, snapshots final.db and writes trajectory.json the way AWM logs it (tool names
 * with the MCP client's prefix, one assistant message per call, then the tool's answer).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startInstance } from "../runtime/instance.ts";

export interface FixtureCall {
  name: string;
  arguments: Record<string, unknown>;
}

export interface RunFolderSpec {
  code: string;
  seedDbFile: string;
  scenario: string;
  taskIdx: number;
  task: string;
  calls: FixtureCall[];
  finalAnswer?: string;
  /** Prefix AWM's MCP client puts before tool names. */
  toolPrefix?: string;
}

export const AWM_TOOL_PREFIX = "mcp_tool_mcp_server_";

export async function buildRunFolder(spec: RunFolderSpec, folder = fs.mkdtempSync(path.join(os.tmpdir(), "awm-run-"))): Promise<string> {
  fs.mkdirSync(folder, { recursive: true });
  const instanceDir = fs.mkdtempSync(path.join(os.tmpdir(), "awm-run-instance-"));
  const instance = await startInstance({ code: spec.code, seedDbFile: spec.seedDbFile, dir: instanceDir });
  const trajectory: unknown[] = [];
  try {
    await instance.snapshot(path.join(folder, "initial.db"));
    for (const [index, call] of spec.calls.entries()) {
      const id = `call_${index}`;
      const result = await instance.callTool(call.name, call.arguments);
      trajectory.push(
        {
          iteration: index,
          role: "assistant",
          content: `Calling ${call.name}.`,
          tool_calls: [{ id, name: `${spec.toolPrefix ?? AWM_TOOL_PREFIX}${call.name}`, arguments: JSON.stringify(call.arguments) }],
        },
        { iteration: index, role: "tool", tool_response: { tool_call_id: id, content: JSON.stringify(result.body) } },
      );
    }
    await instance.snapshot(path.join(folder, "final.db"));
  } finally {
    await instance.stop();
    fs.rmSync(instanceDir, { recursive: true, force: true });
  }
  trajectory.push({ iteration: spec.calls.length, role: "assistant", content: spec.finalAnswer ?? "Done.", tool_calls: [], is_final: true });
  writeRunJson(folder, { scenario: spec.scenario, task_id: spec.taskIdx, task: spec.task, model: "fixture-model", trajectory });
  return folder;
}

export function writeRunJson(folder: string, run: { scenario: string; task_id: number; task: string; model?: string; trajectory: unknown[] }): void {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "trajectory.json"), JSON.stringify({ ...run, messages: [] }, null, 2));
}
