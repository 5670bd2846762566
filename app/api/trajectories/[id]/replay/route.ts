import { NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { replayTrajectory } from "@/lib/trajectories/replay";
import { getTrajectory } from "@/lib/trajectories/store";

export const dynamic = "force-dynamic";

export const POST = route({ params: IdParams }, async (_input, { params }) => {
  if (!(await getTrajectory(params.id))) throw new NotFoundError(`no trajectory ${params.id}`);
  return replayTrajectory(params.id);
});
