/**
 * What recording an agent step costs after a call that committed nothing, on real AWM environments
 * (their seed databases): the snapshot the episode answers with 204 (its database still at the
 * version of the last one), beside what such a step cost before versions, measured in the same run:
 * a full snapshot and the step's two diffs (previous → now, initial → now) in the database reader.
 */
import fs from "node:fs";
import path from "node:path";
import { diffDatabases } from "../lib/diff/sqlite-diff.ts";
import { startInstance } from "../lib/runtime/instance.ts";
import type { BenchEnvironment } from "./environments.ts";
import { failed, measured, progress, type Measurement } from "./measurement.ts";

export async function measureStepRecord(usable: { environment: BenchEnvironment; tool: string }[], workDir: string, runs: number): Promise<Measurement> {
  const name = "runtime.step_record_after_read_call";
  const unchanged: number[] = [];
  const full: number[] = [];
  try {
    for (const { environment, tool } of usable) {
      progress(`${name}: ${environment.name}`);
      const dir = path.join(workDir, environment.name, "steps");
      const instance = await startInstance({ code: environment.code, seedDbFile: environment.seedDbFile, dir: path.join(dir, "instance") });
      try {
        const initial = await instance.snapshotSince(path.join(dir, "initial.db"), undefined);
        if (!initial?.version) throw new Error(`${environment.name}: the episode gave its snapshot no version`);
        for (let run = 0; run <= runs; run++) {
          await instance.callTool(tool, {});
          let started = performance.now();
          const skipped = await instance.snapshotSince(path.join(dir, "unchanged.db"), initial.version);
          const unchangedMs = performance.now() - started;
          if (skipped) throw new Error(`${environment.name}: a read call (${tool}) changed the database's version`);
          started = performance.now();
          const now = await instance.snapshot(path.join(dir, `now-${run}.db`));
          await Promise.all([diffDatabases(initial.file, now), diffDatabases(initial.file, now)]);
          const fullMs = performance.now() - started;
          fs.rmSync(now);
          if (run === 0) continue; // a warm-up
          unchanged.push(unchangedMs);
          full.push(fullMs);
        }
      } finally {
        await instance.stop();
      }
    }
    return measured(name, unchanged, "ms", null, {
      withP95: true,
      note: `after a read call, the step's snapshot request answered 204 (nothing committed since the last version): nothing copied, nothing diffed; ${usable.length} environments × ${runs}`,
      reference: { what: "the same step as recorded before versions: a full snapshot sent and written, and the step's two diffs in the database reader", samples: full },
    });
  } catch (error) {
    return failed(name, "ms", null, error);
  }
}
