import { route } from "@/lib/http/handler";
import { NameParams } from "@/lib/http/params";
import { environmentPageData } from "@/lib/store/environment-views";

export const dynamic = "force-dynamic";

/** What the environment page loads: the stored summary, issues, tasks and their verifiers. */
export const GET = route({ params: NameParams }, async (_input, { params }) => environmentPageData(params.name));
