import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { cancelJob } from "@/lib/pipeline/job-store";

export const dynamic = "force-dynamic";

/** Cancels a rollout job: it stops before its next episode. */
export const POST = route({ params: IdParams }, async (_input, { params }) => ({ cancelled: await cancelJob(params.id) }));
