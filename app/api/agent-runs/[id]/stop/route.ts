import { stopAgentLive } from "@/lib/agent/live-run";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";

export const dynamic = "force-dynamic";

/** Stops a live agent run before its next turn; it is still judged. */
export const POST = route({ params: IdParams }, async (_input, { params }) => {
  stopAgentLive(params.id);
  return { stopping: true };
});
