import { route } from "@/lib/http/handler";
import { resetInstance } from "@/lib/instances/manager";

export const dynamic = "force-dynamic";

export const POST = route({}, async (_input, { params }) => resetInstance(params.id ?? ""));
