import { notFound, route } from "@/lib/http/handler";
import { deleteTrajectory, getTrajectoryOutline } from "@/lib/trajectories/store";

export const dynamic = "force-dynamic";

/** The trajectory with step outlines; each step's diffs come from ./steps/[ordinal]. */
export const GET = route({}, async (_input, { params }) => {
  const trajectory = await getTrajectoryOutline(params.id!);
  if (!trajectory) throw notFound(`no trajectory ${params.id}`);
  return trajectory;
});

export const DELETE = route({}, async (_input, { params }) => {
  await deleteTrajectory(params.id!);
  return { deleted: params.id };
});
