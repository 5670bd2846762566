/**
 * `export-runs`: the selected runs in a trainer's format, streamed (a page of runs at a time):
 *   awm     <folder>/<environment>/task_<i>/<run id>/ AWM run folders (import-run reads them back)
 *   openai  <folder>/runs.openai.jsonl
 *   trl     <folder>/trl-sft.jsonl (good runs) and <folder>/trl-grpo.jsonl (one prompt row per task)
 *   verl    <folder>/verl.parquet
 *   skyrl   <folder>/skyrl.parquet
 */
import fs from "node:fs";
import { InvalidInputError } from "../errors.ts";
import path from "node:path";
import { stringifyExactJson } from "../json/exact-json.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import type { TrajectoryRecord } from "../trajectories/store.ts";
import { writeAwmRunFolder } from "./awm-run-folder.ts";
import { isGoodRun, openaiRow, trlPromptRow, trlSftRow } from "./chat-rows.ts";
import { ParquetRowWriter } from "./parquet-file.ts";
import { partialFile } from "./partial-file.ts";
import { selectedRuns, taskKey, type RunSelection } from "./run-selection.ts";
import { environmentToolCache } from "./tool-schemas.ts";
import { SKYRL_FIELDS, skyrlRow, TaskTally, VERL_FIELDS, verlRow } from "./trainer-rows.ts";

export const EXPORT_FORMATS = ["awm", "openai", "trl", "verl", "skyrl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRunsResult {
  format: ExportFormat;
  folder: string;
  /** Runs read from the selection. */
  runs: number;
  /** Per file (or folder of run folders): how many records it holds. */
  files: { path: string; records: number }[];
  /**
   * Environments whose rows carry the tools of their spec: no instance of their current code has run
   * here, so the tools it serves (what agents were given) are not known; the two may differ.
   */
  toolsFromSpec: string[];
}

interface Sink {
  add(run: TrajectoryRecord): Promise<void>;
  finish(): { path: string; records: number }[];
}

export async function exportRuns(folder: string, format: ExportFormat, selection: RunSelection = {}, db: StudioTx = studioDb()): Promise<ExportRunsResult> {
  // A folder this export made is removed if it fails (an unknown environment, say): no empty folder is left to pass for an export.
  const made = fs.mkdirSync(folder, { recursive: true }) !== undefined;
  try {
    const toolCache = environmentToolCache(db);
    const sink = openSink(folder, format, toolCache);
    let runs = 0;
    for await (const run of selectedRuns(selection, db)) {
      await sink.add(run);
      runs++;
    }
    return { format, folder, runs, files: sink.finish(), toolsFromSpec: await toolCache.fromSpec() };
  } catch (error) {
    if (made) fs.rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

function openSink(folder: string, format: ExportFormat, { tools }: ReturnType<typeof environmentToolCache>): Sink {
  switch (format) {
    case "awm": {
      let records = 0;
      return {
        add: async (run) => {
          // Run folders are added one by one: in a folder that has some already, an earlier export's would pass for this one's.
          if (records === 0 && fs.readdirSync(folder).length > 0) throw new InvalidInputError(`${folder} is not empty: an awm export writes run folders into a new or empty folder`);
          writeAwmRunFolder(folder, run);
          records++;
        },
        finish: () => [{ path: folder, records }],
      };
    }
    case "openai": {
      const runs = new JsonlFile(path.join(folder, "runs.openai.jsonl"));
      return { add: async (run) => runs.add(openaiRow(run, await tools(run.environmentName))), finish: () => [runs.close()] };
    }
    case "trl": {
      const sft = new JsonlFile(path.join(folder, "trl-sft.jsonl"));
      const grpo = new JsonlFile(path.join(folder, "trl-grpo.jsonl"));
      const tasks = new Set<string>();
      return {
        add: async (run) => {
          if (isGoodRun(run)) sft.add(trlSftRow(run, await tools(run.environmentName)));
          const key = taskKey(run.environmentName, run.taskIdx);
          if (!tasks.has(key)) {
            tasks.add(key);
            grpo.add(trlPromptRow(run));
          }
        },
        finish: () => [sft.close(), grpo.close()],
      };
    }
    case "verl":
    case "skyrl": {
      const file = path.join(folder, `${format}.parquet`);
      const row = format === "verl" ? verlRow : skyrlRow;
      const tally = new TaskTally();
      return {
        add: async (run) => tally.add(run),
        // One row per task, once every run of it is counted.
        finish: () => {
          const writer = new ParquetRowWriter(file, format === "verl" ? VERL_FIELDS : SKYRL_FIELDS);
          for (const task of tally.tasks()) writer.add(row(task, writer.count));
          writer.finish();
          return [{ path: file, records: writer.count }];
        },
      };
    }
  }
}

/** A JSONL file written line by line. */
class JsonlFile {
  private readonly fd: number;
  private records = 0;

  /** Written as `<file>.partial` and renamed at close(): a kill midway leaves the file before it as it was. */
  constructor(private readonly file: string) {
    this.fd = fs.openSync(partialFile(file), "w");
  }

  add(row: unknown): void {
    fs.writeSync(this.fd, `${stringifyExactJson(row)}\n`);
    this.records++;
  }

  close(): { path: string; records: number } {
    fs.closeSync(this.fd);
    fs.renameSync(partialFile(this.file), this.file);
    return { path: this.file, records: this.records };
  }
}
