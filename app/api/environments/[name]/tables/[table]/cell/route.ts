import { z } from "zod";
import { route } from "@/lib/http/handler";
import { segment } from "@/lib/http/params";
import { readEnvironmentCell } from "@/lib/seeddb/environment-database";

export const dynamic = "force-dynamic";

const query = z.object({
  rowid: z.coerce.number().int(),
  column: z.string().min(1),
});

/** One whole cell of a seed table (`?rowid=&column=`), for a cell a page showed truncated; capped at 1 MiB of text. */
const Params = z.object({ name: segment, table: segment });

export const GET = route({ params: Params, input: query }, async (input, { params }) => {
  return readEnvironmentCell(params.name, { table: params.table, rowid: input.rowid, column: input.column });
});
