import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { getInstance, stopInstance } from "@/lib/instances/manager";

export const dynamic = "force-dynamic";

export const GET = route({ params: IdParams }, async (_input, { params }) => getInstance(params.id));

export const DELETE = route({ params: IdParams }, async (_input, { params }) => stopInstance(params.id));
