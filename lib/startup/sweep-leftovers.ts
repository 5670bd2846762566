/**
 * What a studio killed midway left in its home: scratch folders of uploads and exports under way, and
 * trajectory folders no row names (see sweepTrajectoryFolders). Swept when the server starts; only
 * what is an hour old goes, so a CLI command working beside it keeps its own.
 */
import path from "node:path";
import { removeAgedEntries } from "./aged-entries.ts";
import { sweepTrajectoryFolders } from "../trajectories/store.ts";
import { studioHome } from "../config/paths.ts";

/** Folders of the home that hold only scratch entries, each removed by whoever made it when it is done. */
const SCRATCH_FOLDERS = ["uploads", "exports", "library-exports"];
const SCRATCH_AGE_MS = 60 * 60 * 1000;

/** Removes scratch entries an hour old and orphaned trajectory folders; returns what went, relative to the home. */
export async function sweepLeftovers(now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const folder of SCRATCH_FOLDERS) {
    for (const name of removeAgedEntries(path.join(studioHome(), folder), SCRATCH_AGE_MS, now)) removed.push(path.join(folder, name));
  }
  for (const name of await sweepTrajectoryFolders(now - SCRATCH_AGE_MS)) removed.push(path.join("trajectories", name));
  return removed;
}
