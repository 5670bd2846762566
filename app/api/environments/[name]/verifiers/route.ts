import { route } from "@/lib/http/handler";
import { NameParams } from "@/lib/http/params";
import { environmentVerifiers } from "@/lib/store/environment-views";

export const dynamic = "force-dynamic";

/** The tasks and every current verifier (any mode), each with the task text it was written for. */
export const GET = route({ params: NameParams }, async (_input, { params }) => environmentVerifiers(params.name));
