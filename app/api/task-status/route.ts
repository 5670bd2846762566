import { taskStatusCounts } from "@/lib/curation/task-status";
import { route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** Per environment, how many tasks have each status: the library's task filter. */
export const GET = route({}, () => taskStatusCounts());
