import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { cancelJob } from "@/lib/pipeline/job-store";

export const dynamic = "force-dynamic";

/** Cancels a rollout job: its episodes in play stop before their next turn and are not kept (a resume plays them). */
export const POST = route({ params: IdParams }, async (_input, { params }) => ({ cancelled: await cancelJob(params.id) }));
