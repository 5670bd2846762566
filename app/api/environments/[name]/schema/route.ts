import { route } from "@/lib/http/handler";
import { NameParams } from "@/lib/http/params";
import { describeEnvironmentDatabase } from "@/lib/seeddb/environment-database";

export const dynamic = "force-dynamic";

/** Tables of the seed database (columns, keys, indexes, row counts), broken tables and failed INSERTs. */
export const GET = route({ params: NameParams }, async (_input, { params }) => describeEnvironmentDatabase(params.name));
