/**
 * Instance folders left by a studio process that died without stopping its instances (a kill, a
 * crash). An instance removes its own folder when it ends; these never got the chance. A folder
 * whose socket still answers belongs to a live studio process (the web server and `awm-studio mcp`
 * share one home) and stays.
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

const PROBE_TIMEOUT_MS = 1_000;
/** Younger folders may be an instance another process is creating right now. */
const MIN_AGE_MS = 60_000;

export async function removeStaleInstanceFolders(instancesDir: string, liveIds: Set<string>): Promise<string[]> {
  let names: string[];
  try {
    names = fs.readdirSync(instancesDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  await Promise.all(
    names
      .filter((name) => !liveIds.has(name))
      .map(async (name) => {
        const dir = path.join(instancesDir, name);
        const stat = fs.lstatSync(dir, { throwIfNoEntry: false });
        if (!stat?.isDirectory() || Date.now() - stat.mtimeMs < MIN_AGE_MS) return;
        if (await answers(path.join(dir, "api.sock"))) return;
        fs.rmSync(dir, { recursive: true, force: true });
        removed.push(name);
      }),
  );
  return removed;
}

/** Whether something accepts connections on the socket (a refused or missing socket is dead). */
function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const connection = net.connect(socket);
    const done = (alive: boolean) => {
      connection.destroy();
      resolve(alive);
    };
    connection.setTimeout(PROBE_TIMEOUT_MS, () => done(true));
    connection.once("connect", () => done(true));
    connection.once("error", () => done(false));
  });
}
