import { z } from "zod";
import { route } from "@/lib/http/handler";
import { NameParams } from "@/lib/http/params";
import { checkVerifierHealth } from "@/lib/verify/verifier-health";

export const dynamic = "force-dynamic";

const input = z.object({ timeoutMs: z.coerce.number().int().min(100).max(120_000).optional() });

/** Runs every current verifier of the environment on (seed, seed); GET and POST do the same. */
const handler = route({ params: NameParams, input }, (options, { params }) => checkVerifierHealth(params.name, options));

export const GET = handler;
export const POST = handler;
