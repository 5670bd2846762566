/**
 * Schemas for route path segments (`route({ params })`): Next fills every segment of a matched
 * route, so a segment is a non-empty string, and numeric segments are parsed here, not in the route.
 */
import { z } from "zod";
import { PIPELINE_STAGES } from "../awm/types.ts";
import { ID_PATTERN } from "../ids.ts";

/** One path segment: present and not empty. */
export const segment = z.string().min(1);

/** `[id]`: a job, instance, trajectory, episode, run, export, import or LLM call id. */
export const IdParams = z.object({ id: z.string().regex(ID_PATTERN, { error: (issue) => `not an id: ${JSON.stringify(issue.input)} (ids are letters, digits, "-" and "_")` }) });

/** `[name]`: an environment's name. */
export const NameParams = z.object({ name: segment });

/** A segment holding a whole number ≥ `min`; otherwise refused with `${what} must be …, got "…"`. */
export function wholeNumberSegment(what: string, min: number) {
  return z.string().transform((text, ctx) => {
    const value = Number(text);
    if (Number.isInteger(value) && value >= min) return value;
    ctx.addIssue({ code: "custom", message: `${what} must be a ${min === 1 ? "positive integer" : `whole number ≥ ${min}`}, got "${text}"` });
    return z.NEVER;
  });
}

/** A segment naming a stage (`[stage]`, an artifact's `[kind]`); otherwise refused with the list of stages. */
export function pipelineStageSegment(what: string) {
  return z.enum(PIPELINE_STAGES, { error: (issue) => `unknown ${what} "${String(issue.input)}"; one of ${PIPELINE_STAGES.join(", ")}` });
}
