/**
 * The live environment hosts of this process, shared by every episode of the same code, seed
 * database and limits: an episode takes a free slot of a host (a new host when all are full) and
 * gives it back when it ends. A host without episodes stays warm for HOST_IDLE_MS, then stops.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { EnvironmentHost, type EpisodeProcess, type StartHostOptions } from "./environment-host.ts";

export const HOST_IDLE_MS = 60_000;

interface PoolEntry {
  hosts: EnvironmentHost[];
  /** A host being started for this key: later episodes wait for it instead of starting another. */
  starting?: Promise<EnvironmentHost>;
  idleTimers: Map<EnvironmentHost, NodeJS.Timeout>;
}

const pool = new Map<string, PoolEntry>();

/** A new episode on a host of this code and seed with a free slot; a host is started when none has one. */
export async function spawnEpisode(options: StartHostOptions): Promise<{ host: EnvironmentHost; episode: EpisodeProcess }> {
  const key = hostKey(options);
  let entry = pool.get(key);
  if (!entry) pool.set(key, (entry = { hosts: [], idleTimers: new Map() }));
  for (;;) {
    const host = entry.hosts.find((candidate) => candidate.available > 0);
    if (host) {
      clearTimeout(entry.idleTimers.get(host));
      entry.idleTimers.delete(host);
      // take() claims its episode or slot before it first waits, so no other caller gets it too.
      return { host, episode: await host.take() };
    }
    const current = entry;
    current.starting ??= EnvironmentHost.start(options)
      .then((started) => {
        current.hosts.push(started);
        void started.ended.then(() => forget(current, started));
        return started;
      })
      .finally(() => (current.starting = undefined));
    await current.starting;
  }
}

/** Called when an episode of `host` ended: a host with none left stops after HOST_IDLE_MS. */
export function episodeEnded(options: StartHostOptions, host: EnvironmentHost): void {
  const entry = pool.get(hostKey(options));
  if (!entry || host.activeEpisodes > 0 || host.status !== "running") return;
  clearTimeout(entry.idleTimers.get(host));
  entry.idleTimers.set(host, setTimeout(() => void host.stop(`no episode for ${HOST_IDLE_MS} ms`), HOST_IDLE_MS).unref());
}

/** Every live host (the bench and tests read their memory). */
export function liveHosts(): EnvironmentHost[] {
  return [...pool.values()].flatMap((entry) => entry.hosts);
}

function forget(entry: PoolEntry, host: EnvironmentHost): void {
  entry.hosts = entry.hosts.filter((candidate) => candidate !== host);
  clearTimeout(entry.idleTimers.get(host));
  entry.idleTimers.delete(host);
}

/** Same code, same seed file (path, size and modification time), same interpreter and limits. */
function hostKey(options: StartHostOptions): string {
  const seed = fs.statSync(options.seedDbFile, { throwIfNoEntry: false });
  const identity = [options.seedDbFile, seed?.size, seed?.mtimeMs, options.python, options.allowUnsandboxed, options.slots, JSON.stringify(options.limits)];
  return crypto.createHash("sha256").update(options.code).update(JSON.stringify(identity)).digest("hex");
}
