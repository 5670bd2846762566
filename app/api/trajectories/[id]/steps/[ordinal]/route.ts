import { z } from "zod";
import { NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/handler";
import { segment, wholeNumberSegment } from "@/lib/http/params";
import { getTrajectoryStep } from "@/lib/trajectories/store";

export const dynamic = "force-dynamic";

/** One step with its database diffs (this step's and since the start); the detail route leaves them out. */
const Params = z.object({ id: segment, ordinal: wholeNumberSegment("step ordinal", 0) });

export const GET = route({ params: Params }, async (_input, { params }) => {
  const step = await getTrajectoryStep(params.id, params.ordinal);
  if (!step) throw new NotFoundError(`trajectory ${params.id} has no step #${params.ordinal}`);
  return step;
});
