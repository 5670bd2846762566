import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/handler";
import { getTrajectoryStep } from "@/lib/trajectories/store";

export const dynamic = "force-dynamic";

/** One step with its database diffs (this step's and since the start); the detail route leaves them out. */
export const GET = route({}, async (_input, { params }) => {
  const ordinal = Number(params.ordinal);
  if (!Number.isInteger(ordinal) || ordinal < 0) throw new InvalidInputError(`step ordinal must be a whole number ≥ 0, got "${params.ordinal}"`);
  const step = await getTrajectoryStep(params.id!, ordinal);
  if (!step) throw new NotFoundError(`trajectory ${params.id} has no step #${ordinal}`);
  return step;
});
