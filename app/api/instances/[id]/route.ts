import { route } from "@/lib/http/handler";
import { getInstance, stopInstance } from "@/lib/instances/manager";

export const dynamic = "force-dynamic";

export const GET = route({}, async (_input, { params }) => getInstance(params.id ?? ""));

export const DELETE = route({}, async (_input, { params }) => stopInstance(params.id ?? ""));
