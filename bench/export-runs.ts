import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EXPORT_FORMATS, exportRuns } from "../lib/export/export-runs.ts";
import { importFolder } from "../lib/library/import.ts";
import { closeStudioDb, studioDb } from "../lib/store/db.ts";
import { loadEnvironment } from "../lib/store/load-environment.ts";
import { tinyShopRecords, writeFixtureFolder } from "../lib/testing/awm-fixture.ts";
import { failed, measured, progress, type Measurement } from "./measurement.ts";
import { freshStudioHome, removeHome } from "./temp-home.ts";

export const EXPORT_GOAL_MS = 10_000;
const BATCH = 1000;

/**
 * `count` runs of the tiny shop (half with two tool calls and a complete verdict, half a bare final
 * answer judged "others"), then one export of all of them in each format, with the heap after each.
 */
export async function measureExportRuns(count: number): Promise<Measurement[]> {
  const home = await freshStudioHome("awm-bench-export-");
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "awm-bench-export-out-"));
  try {
    const report = await importFolder(writeFixtureFolder([tinyShopRecords()]), { verifierHealth: false });
    const environment = await loadEnvironment(report.environments[0]?.name ?? "tiny_shop");
    if (!environment) throw new Error(`the tiny shop did not import: ${JSON.stringify(report.errors)}`);
    progress(`writing ${count} runs`);
    for (let start = 0; start < count; start += BATCH) await writeRuns(start, Math.min(BATCH, count - start), environment.seedDbFile);
    const measurements: Measurement[] = [];
    for (const format of EXPORT_FORMATS) {
      const name = `export_runs.${format}.${count}_runs`;
      try {
        const started = performance.now();
        const result = await exportRuns(path.join(out, format), format);
        const ms = performance.now() - started;
        if (result.runs !== count) throw new Error(`exported ${result.runs} of ${count} runs`);
        const heapMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
        measurements.push(measured(name, [ms], "ms", EXPORT_GOAL_MS, `one export of every run; heap in use after it (not collected): ${heapMb} MiB; files: ${result.files.map((file) => `${path.basename(file.path)} (${file.records})`).join(", ")}`));
      } catch (error) {
        measurements.push(failed(name, "ms", EXPORT_GOAL_MS, error));
      }
      progress(`${format}: done`);
    }
    return measurements;
  } finally {
    await closeStudioDb();
    removeHome(out);
    removeHome(home);
  }
}

async function writeRuns(start: number, size: number, dbFile: string): Promise<void> {
  const db = studioDb();
  const ids = Array.from({ length: size }, (_, offset) => `bench${String(start + offset).padStart(8, "0")}`);
  const good = (index: number) => (start + index) % 2 === 0;
  await db.trajectory.createMany({
    data: ids.map((id, index) => ({
      id,
      environmentName: "tiny_shop",
      taskIdx: 0,
      task: "Rename product 1 to 'Blue Mug'.",
      source: "agent",
      model: "bench-model",
      stepCount: good(index) ? 3 : 1,
      initialDbFile: dbFile,
      finalDbFile: dbFile,
      verdictClass: good(index) ? "complete" : "others",
      reward: good(index) ? 1 : 0,
    })),
  });
  await db.trajectoryStep.createMany({
    data: ids.flatMap((trajectoryId, index) =>
      good(index)
        ? [
            { trajectoryId, ordinal: 0, role: "assistant", content: "Listing products.", toolCallId: "call_0", toolName: "list_products", toolArguments: "{}", toolResponse: '[{"id":1,"name":"Mug","price":5}]' },
            { trajectoryId, ordinal: 1, role: "assistant", content: "Renaming.", toolCallId: "call_1", toolName: "rename_product", toolArguments: '{"product_id":1,"name":"Blue Mug"}', toolResponse: '{"id":1,"name":"Blue Mug"}' },
            { trajectoryId, ordinal: 2, role: "assistant", content: "Product 1 is now Blue Mug.", isFinal: true },
          ]
        : [{ trajectoryId, ordinal: 0, role: "assistant", content: "Done.", isFinal: true }],
    ),
  });
  await db.verdict.createMany({
    data: ids.map((trajectoryId, index) => ({ trajectoryId, mode: "code", classification: good(index) ? "complete" : "others", reward: good(index) ? 1 : 0, verifierOutput: "{}" })),
  });
}
