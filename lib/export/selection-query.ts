/** The export selection as the web sends it in a query string: `envs=a,b` and `curated=1`. */
import { z } from "zod";
import { EXPORT_FORMATS } from "./export-runs.ts";

export const selectionQuery = z.object({
  envs: z
    .string()
    .optional()
    .transform((value) => (value ? value.split(",").filter(Boolean) : [])),
  curated: z
    .enum(["1", "0"])
    .optional()
    .transform((value) => value === "1"),
});

export const downloadQuery = selectionQuery.extend({ format: z.enum(EXPORT_FORMATS) });
