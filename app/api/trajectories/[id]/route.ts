import { notFound, route } from "@/lib/http/handler";
import { deleteTrajectory, getTrajectory } from "@/lib/trajectories/store";

export const dynamic = "force-dynamic";

export const GET = route({}, async (_input, { params }) => {
  const trajectory = await getTrajectory(params.id!);
  if (!trajectory) throw notFound(`no trajectory ${params.id}`);
  return trajectory;
});

export const DELETE = route({}, async (_input, { params }) => {
  await deleteTrajectory(params.id!);
  return { deleted: params.id };
});
