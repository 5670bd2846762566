import { route } from "@/lib/http/handler";
import { NameParams } from "@/lib/http/params";
import { environmentCode } from "@/lib/store/environment-views";

export const dynamic = "force-dynamic";

/** The interface code (`full_code`) and the routes its FastAPI decorators declare. */
export const GET = route({ params: NameParams }, async (_input, { params }) => environmentCode(params.name));
