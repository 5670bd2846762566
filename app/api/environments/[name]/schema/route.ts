import { route } from "@/lib/http/handler";
import { describeEnvironmentDatabase } from "@/lib/seeddb/environment-database";

export const dynamic = "force-dynamic";

/** Tables of the seed database (columns, keys, indexes, row counts), broken tables and failed INSERTs. */
export const GET = route({}, async (_input, { params }) => describeEnvironmentDatabase(params.name ?? ""));
