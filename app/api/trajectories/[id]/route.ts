import { endOrphanedLiveRuns } from "@/lib/agent/live-run";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { deleteTrajectory, UnknownTrajectoryError } from "@/lib/trajectories/store";
import { getTrajectoryView } from "@/lib/verify/trajectory-view";

export const dynamic = "force-dynamic";

/** The trajectory with step outlines and the judging it offers; each step's diffs come from ./steps/[ordinal]. */
export const GET = route({ params: IdParams }, async (_input, { params }) => {
  await endOrphanedLiveRuns();
  const trajectory = await getTrajectoryView(params.id);
  if (!trajectory) throw new UnknownTrajectoryError(params.id);
  return trajectory;
});

export const DELETE = route({ params: IdParams }, async (_input, { params }) => {
  await deleteTrajectory(params.id);
  return { deleted: params.id };
});
