import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { snapshotInstance } from "@/lib/instances/manager";

export const dynamic = "force-dynamic";

/** Copies the instance's current database into its folder; answers `{ file }`. */
export const POST = route({ params: IdParams }, async (_input, { params }) => ({ file: await snapshotInstance(params.id) }));
