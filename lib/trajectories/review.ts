/**
 * A person's review of a trajectory: tags (the suggested ones or free tags) and a note, filterable
 * in the trajectory list and carried with the run wherever a trajectory summary goes (exports too).
 */
import { studioDb, type StudioTx } from "../store/db.ts";
import { normalizeTags } from "./review-tags.ts";
import { UnknownTrajectoryError } from "./store.ts";

export interface TrajectoryReview {
  tags: string[];
  note: string;
}

export async function setTrajectoryReview(id: string, review: TrajectoryReview, db: StudioTx = studioDb()): Promise<TrajectoryReview> {
  const tags = normalizeTags(review.tags);
  const note = review.note.trim();
  const { count } = await db.trajectory.updateMany({ where: { id }, data: { tags: JSON.stringify(tags), reviewNote: note } });
  if (count === 0) throw new UnknownTrajectoryError(id);
  return { tags, note };
}
