import { route } from "@/lib/http/handler";
import { runtimeStatus } from "@/lib/runtime/runtime-status";

export const dynamic = "force-dynamic";

/** Whether this machine can run environment code, and what to install when it cannot. */
export const GET = route({}, () => runtimeStatus());
