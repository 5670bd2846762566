import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { instanceTools } from "@/lib/instances/manager";

export const dynamic = "force-dynamic";

/** The instance's tool catalog; a tool whose route another handler answers carries `shadowedBy` and `warning`. */
export const GET = route({ params: IdParams }, async (_input, { params }) => ({ tools: instanceTools(params.id) }));
