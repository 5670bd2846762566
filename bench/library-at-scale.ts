import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeStudioDb } from "../lib/store/db.ts";
import { importFolder } from "../lib/library/import.ts";
import { IMPORT_GOAL_MS_PER_ENV } from "./import-per-environment.ts";
import { failed, measured, progress, type Measurement } from "./measurement.ts";
import { measurePageLoad } from "./page-ready.ts";
import { ensureBenchBuild, startProductionServer } from "./production-server.ts";
import type { BenchSource } from "./sources.ts";
import { measureTaskStatusAtScale } from "./task-status-at-scale.ts";
import { writeSyntheticLibrary } from "./synthetic-library.ts";
import { freshStudioHome, removeHome } from "./temp-home.ts";

export const LIBRARY_READY_GOAL_MS = 1_000;

/**
 * A library of `count` environments (renamed copies of `source`): the total import time, every
 * task's status (task-status-at-scale.ts), then the Library page's time until ready in Chromium against a production server on that library.
 */
export async function measureLibraryAtScale(source: BenchSource, count: number, loads: number): Promise<Measurement[]> {
  const importName = `import_total.${count}_environments`;
  const importGoal = IMPORT_GOAL_MS_PER_ENV * count;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "awm-bench-synthetic-"));
  const home = await freshStudioHome("awm-bench-library-");
  try {
    const written = writeSyntheticLibrary(source.folder, folder, count);
    progress(`wrote ${written} synthetic environments (copies of ${source.label}) to ${folder}`);
    const started = performance.now();
    // Verifier health is measured per environment (import-per-environment.ts); here the foundation's import.
    const report = await importFolder(folder, {
      verifierHealth: false,
      onProgress: ({ done, total }) => done % 100 === 0 && progress(`import: ${done}/${total}`),
    });
    const importMs = performance.now() - started;
    const statusFigure = await measureTaskStatusAtScale(loads);
    await closeStudioDb();
    const imported = report.environments.length;
    if (imported !== written) throw new Error(`imported ${imported} of ${written} environments; errors: ${JSON.stringify(report.errors).slice(0, 500)}`);
    const importFigure = measured(importName, [importMs], "ms", importGoal, `copies of ${source.label}; verifier health skipped; goal is ${IMPORT_GOAL_MS_PER_ENV} ms × ${count}`);

    ensureBenchBuild();
    const server = await startProductionServer(home);
    try {
      // The foundation's goal is time to interactive: the rows arrive only after hydration anyway.
      const pageLoad = await measurePageLoad({
        name: `library_page.${imported}_environments`,
        url: `${server.url}/`,
        contentSelector: "[data-testid=library-row]",
        readyAttribute: "data-library-ready",
        loads,
        goal: { on: "interactive", ms: LIBRARY_READY_GOAL_MS },
      });
      return [importFigure, statusFigure, ...pageLoad];
    } finally {
      await server.stop();
    }
  } catch (error) {
    return [failed(importName, "ms", importGoal, error)];
  } finally {
    await closeStudioDb();
    removeHome(folder);
    removeHome(home);
  }
}
