import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { replayTrajectory } from "@/lib/trajectories/replay";

export const dynamic = "force-dynamic";

/** Replays the trajectory's tool calls on a fresh instance; an unknown id is a 404 naming it. */
export const POST = route({ params: IdParams }, async (_input, { params }) => replayTrajectory(params.id));
