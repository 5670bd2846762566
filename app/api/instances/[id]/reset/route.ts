import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { resetInstance } from "@/lib/instances/manager";

export const dynamic = "force-dynamic";

export const POST = route({ params: IdParams }, async (_input, { params }) => resetInstance(params.id));
