import { route } from "@/lib/http/handler";
import { listEnvironments } from "@/lib/store/environments";

export const dynamic = "force-dynamic";

export const GET = route({}, () => listEnvironments());
