import { z } from "zod";
import { route } from "@/lib/http/handler";
import { segment } from "@/lib/http/params";
import { MAX_PAGE_SIZE } from "@/lib/seeddb/browse";
import { browseEnvironmentTable } from "@/lib/seeddb/environment-database";

export const dynamic = "force-dynamic";

/** Per-column filters travel as `col.<column>=<text>` query parameters. */
const COLUMN_FILTER_PREFIX = "col.";

const query = z.looseObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  sort: z.string().min(1).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
  filter: z.string().optional(),
});

/** One page of a seed database table: `?page=&pageSize=&sort=&dir=&filter=&col.<column>=`. */
const Params = z.object({ name: segment, table: segment });

export const GET = route({ params: Params, input: query }, async (input, { params }) => {
  const columnFilters: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key.startsWith(COLUMN_FILTER_PREFIX) && typeof value === "string") columnFilters[key.slice(COLUMN_FILTER_PREFIX.length)] = value;
  }
  return browseEnvironmentTable(params.name, {
    table: params.table,
    page: input.page,
    pageSize: input.pageSize,
    ...(input.sort !== undefined && { sort: input.sort }),
    ...(input.dir !== undefined && { dir: input.dir }),
    ...(input.filter && { filter: input.filter }),
    columnFilters,
  });
});
