/** What the trajectory page reads: the outline, and which judging can run on it (so it offers only that). */
import { studioDb, type StudioTx } from "../store/db.ts";
import { judgeModes, type JudgeModes } from "./judge-modes.ts";
import { getTrajectoryOutline, type TrajectoryOutline } from "../trajectories/store.ts";

export interface TrajectoryView extends TrajectoryOutline {
  judging: JudgeModes;
}

export async function getTrajectoryView(id: string, db: StudioTx = studioDb()): Promise<TrajectoryView | undefined> {
  const outline = await getTrajectoryOutline(id, db);
  return outline && { ...outline, judging: await judgeModes(outline, db) };
}
