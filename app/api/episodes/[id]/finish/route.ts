import { z } from "zod";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { finishEpisode } from "@/lib/playtest/episode";

export const dynamic = "force-dynamic";

const input = z.object({ finalAnswer: z.string().default("") });

/** Ends the episode with the final answer and runs the task's code-mode verifier: → `{ verdict, cumulativeDiff }`. */
export const POST = route({ params: IdParams, input }, async ({ finalAnswer }, { params }) => finishEpisode(params.id, finalAnswer));
