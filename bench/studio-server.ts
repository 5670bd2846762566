import { importFolder } from "../lib/library/import.ts";
import { closeStudioDb } from "../lib/store/db.ts";
import { progress } from "./measurement.ts";
import { ensureBenchBuild, startProductionServer } from "./production-server.ts";
import type { BenchSource } from "./sources.ts";
import { freshStudioHome, removeHome } from "./temp-home.ts";

/** A production server on a studio home holding one source's environments. */
export interface StudioServer {
  url: string;
  home: string;
  /** Points this process's studio store at the server's home (other measurements move it elsewhere). */
  useHome(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStudioServer(source: BenchSource): Promise<StudioServer> {
  const home = await freshStudioHome("awm-bench-studio-");
  try {
    const report = await importFolder(source.folder);
    if (report.environments.length === 0) throw new Error(`no environment imported from ${source.folder}: ${JSON.stringify(report.errors).slice(0, 500)}`);
    await closeStudioDb();
    progress(`studio home ${home}: ${report.environments.length} environments of ${source.label}`);
    ensureBenchBuild();
    const server = await startProductionServer(home);
    return {
      url: server.url,
      home,
      async useHome() {
        await closeStudioDb();
        process.env.AWM_STUDIO_HOME = home;
      },
      async stop() {
        await server.stop();
        await closeStudioDb();
        removeHome(home);
      },
    };
  } catch (error) {
    await closeStudioDb();
    removeHome(home);
    throw error;
  }
}

/** Starts the server on first use only, so groups that need none never build the app. */
export function lazyStudioServer(source: BenchSource): { get(): Promise<StudioServer>; stop(): Promise<void> } {
  let started: Promise<StudioServer> | undefined;
  return {
    get: () => (started ??= startStudioServer(source)),
    async stop() {
      if (started) await (await started.catch(() => undefined))?.stop();
    },
  };
}
