import { route } from "@/lib/http/handler";
import { NameParams } from "@/lib/http/params";
import { environmentSpec } from "@/lib/store/environment-views";

export const dynamic = "force-dynamic";

/** The current API spec record (null when the environment has none). */
export const GET = route({ params: NameParams }, async (_input, { params }) => environmentSpec(params.name));
