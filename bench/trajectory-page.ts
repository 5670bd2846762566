import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { diffDatabases } from "../lib/diff/sqlite-diff.ts";
import { startInstance } from "../lib/runtime/instance.ts";
import type { Tool } from "../lib/runtime/tool-catalog.ts";
import { emptyDiff } from "../lib/trajectories/diff-shape.ts";
import { appendStep, createTrajectory, finishTrajectory } from "../lib/trajectories/store.ts";
import type { BenchEnvironment } from "./environments.ts";
import { failed, progress, type Measurement } from "./measurement.ts";
import { measurePageLoad } from "./page-ready.ts";
import type { StudioServer } from "./studio-server.ts";
import { removeHome } from "./temp-home.ts";

export const TRAJECTORY_RENDER_GOAL_MS = 300;
const STEPS = 100;
/** Every fourth call writes; the others read. */
const WRITE_EVERY = 4;

/** A plausible value per required argument, by JSON type. */
function sampleArguments(tool: Tool): Record<string, unknown> {
  const byType: Record<string, unknown> = { string: "bench", integer: 1, number: 1, boolean: true };
  return Object.fromEntries(tool.inputSchema.required.map((name) => [name, byType[String(tool.inputSchema.properties[name]?.type)] ?? null]));
}

/** The table with the most rows among those having a non-key text column, and that column. */
function editableColumn(db: Database.Database): { table: string; column: string; rows: number } {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").pluck().all() as string[];
  const candidates = tables.flatMap((table) => {
    const columns = db.prepare("SELECT name, type, pk FROM pragma_table_info(?)").all(table) as { name: string; type: string; pk: number }[];
    const text = columns.find((column) => column.pk === 0 && /CHAR|TEXT|CLOB/i.test(column.type));
    const rows = db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
    return text && rows > 0 ? [{ table, column: text.name, rows }] : [];
  });
  const best = candidates.sort((a, b) => b.rows - a.rows)[0];
  if (!best) throw new Error("the seed database has no table with rows and a text column to edit");
  return best;
}

/**
 * A 100-step trajectory like a playtest records: real read-only calls on a running instance with
 * their real answers, and every fourth step a write whose row-level diff (step and cumulative) comes
 * from a real change to a copy of the seed database. The last step is the final answer.
 */
async function writeTrajectory(environment: BenchEnvironment, workDir: string): Promise<string> {
  const instance = await startInstance({ code: environment.code, seedDbFile: environment.seedDbFile, dir: path.join(workDir, "instance") });
  const stateFile = path.join(workDir, "state.db");
  const previousFile = path.join(workDir, "previous.db");
  fs.copyFileSync(environment.seedDbFile, stateFile);
  const state = new Database(stateFile);
  try {
    const readTools = instance.tools().filter((tool) => !tool.changesState && tool.inputSchema.required.length === 0);
    const writeTools = instance.tools().filter((tool) => tool.changesState);
    if (readTools.length === 0 || writeTools.length === 0) throw new Error(`${environment.name} lacks argument-free read tools or write tools`);
    const target = editableColumn(state);
    const edit = state.prepare(`UPDATE "${target.table}" SET "${target.column}" = "${target.column}" || ' (edited)' WHERE rowid = (SELECT rowid FROM "${target.table}" ORDER BY rowid LIMIT 1 OFFSET ?)`);
    const task = environment.bundle.tasks?.record.tasks[0] ?? "Bench task";
    const { id } = await createTrajectory({ environmentName: environment.name, taskIdx: 0, task, source: "agent", model: "bench-scripted", initialDbFile: environment.seedDbFile });
    let cumulativeDiff = emptyDiff();
    for (let ordinal = 0; ordinal < STEPS - 1; ordinal++) {
      const started = performance.now();
      if (ordinal % WRITE_EVERY === WRITE_EVERY - 1) {
        const tool = writeTools[ordinal % writeTools.length]!;
        fs.copyFileSync(stateFile, previousFile);
        edit.run(ordinal % target.rows);
        cumulativeDiff = await diffDatabases(environment.seedDbFile, stateFile);
        const diff = await diffDatabases(previousFile, stateFile);
        const toolResponse = JSON.stringify({ ok: true, table: target.table, updated: diff.tables[target.table]?.updated[0]?.key });
        await appendStep(id, { role: "assistant", toolCallId: `call_${ordinal}`, toolName: tool.name, toolArguments: sampleArguments(tool), toolResponse, diff, cumulativeDiff, durationMs: performance.now() - started });
      } else {
        const tool = readTools[ordinal % readTools.length]!;
        const answer = await instance.callTool(tool.name, {});
        const toolResponse = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
        await appendStep(id, { role: "assistant", toolCallId: `call_${ordinal}`, toolName: tool.name, toolArguments: {}, toolResponse, isError: !answer.ok, diff: emptyDiff(), cumulativeDiff, durationMs: answer.durationMs });
      }
    }
    const finalAnswer = `Done: edited ${Object.values(cumulativeDiff.tables).reduce((sum, table) => sum + table.updated.length, 0)} rows of ${target.table}.`;
    await appendStep(id, { role: "assistant", content: finalAnswer, isFinal: true, cumulativeDiff });
    await finishTrajectory(id, { finalAnswer, finalDbFile: stateFile });
    return id;
  } finally {
    state.close();
    await instance.stop();
  }
}

/** A 100-step trajectory's page on the production server: its content on screen (the goal) and hydrated. */
export async function measureTrajectoryPage(environment: BenchEnvironment, server: StudioServer, loads: number): Promise<Measurement[]> {
  const name = `trajectory_page.${STEPS}_steps`;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "awm-bench-trajectory-"));
  try {
    await server.useHome();
    const id = await writeTrajectory(environment, workDir);
    progress(`trajectory ${id}: ${STEPS} steps of ${environment.name}`);
    // The goal is the time to render: the timeline and the first step's detail on screen (server-rendered).
    return await measurePageLoad({
      name,
      url: `${server.url}/trajectories/${id}`,
      // The detail follows the timeline in the document: once it is parsed, both are there.
      contentSelector: "[data-testid=trajectory-page] [data-testid=step-detail]",
      readyAttribute: "data-trajectory-ready",
      loads,
      goal: { on: "rendered", ms: TRAJECTORY_RENDER_GOAL_MS },
    });
  } catch (error) {
    return [failed(`${name}_rendered`, "ms", TRAJECTORY_RENDER_GOAL_MS, error)];
  } finally {
    removeHome(workDir);
  }
}
