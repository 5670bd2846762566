import path from "node:path";
import { startInstance, type EnvironmentInstance } from "../lib/runtime/instance.ts";
import type { BenchEnvironment } from "./environments.ts";
import { errorText, measured, progress, type Measurement } from "./measurement.ts";

export const LIVE_INSTANCES_GOAL = 16;
const MIB = 2 ** 20;

/**
 * Starts `count` sandboxed instances at once (the environments in turn), calls a read-only tool on
 * each while all are up, then counts those alive and answering, and sums their resident memory.
 */
export async function measureLiveInstances(environments: { environment: BenchEnvironment; tool: string }[], workDir: string, count = LIVE_INSTANCES_GOAL): Promise<Measurement[]> {
  const chosen = Array.from({ length: count }, (_, index) => environments[index % environments.length]!);
  const started = performance.now();
  const starts = await Promise.allSettled(
    chosen.map(({ environment }, index) => startInstance({ code: environment.code, seedDbFile: environment.seedDbFile, dir: path.join(workDir, `live-${index}`) })),
  );
  const startSeconds = (performance.now() - started) / 1000;
  const instances = starts.flatMap((start) => (start.status === "fulfilled" ? [start.value] : []));
  const problems = starts.flatMap((start, index) => (start.status === "rejected" ? [`${chosen[index]!.environment.name}: ${errorText(start.reason)}`] : []));
  try {
    const calls = await Promise.allSettled(
      starts.map((start, index) => (start.status === "fulfilled" ? start.value.callTool(chosen[index]!.tool, {}) : Promise.reject(new Error("did not start")))),
    );
    const answering = (instance: EnvironmentInstance, index: number) => {
      const call = calls[index]!;
      return instance.status === "running" && call.status === "fulfilled" && call.value.ok;
    };
    const alive = starts.filter((start, index) => start.status === "fulfilled" && answering(start.value, index)).length;
    const rss = instances.map((instance) => (instance.residentMemoryBytes() ?? 0) / MIB);
    const totalRss = rss.reduce((sum, value) => sum + value, 0);
    progress(`live instances: ${alive}/${count} answering, ${totalRss.toFixed(0)} MiB in total, all started in ${startSeconds.toFixed(1)} s`);
    const aliveFigure = measured(`runtime.live_instances_at_once`, [alive], "instances", count, {
      goalKind: "at_least",
      note: `${count} sandboxed instances of ${environments.length} environments started together (${startSeconds.toFixed(1)} s), one read-only call each while all were up; ${totalRss.toFixed(0)} MiB resident in total`,
    });
    if (problems.length > 0) aliveFigure.error = problems.join("\n");
    return [aliveFigure, measured(`runtime.live_instances_total_rss`, [totalRss], "MiB", null, `sum of VmRSS of the ${instances.length} Python server processes`)];
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
  }
}
