import { z } from "zod";
import { markTask } from "@/lib/curation/marks";
import { taskStatuses } from "@/lib/curation/task-status";
import { route } from "@/lib/http/handler";
import { NameParams } from "@/lib/http/params";

export const dynamic = "force-dynamic";

/** Every task of the environment with its status and evidence. */
export const GET = route({ params: NameParams }, async (_input, { params }) => {
  const [environment] = await taskStatuses([params.name]);
  return environment;
});

const note = z.string().max(4_000);
const mark = z.discriminatedUnion("kind", [
  z.object({ taskIdx: z.number().int().min(0), kind: z.literal("reference"), trajectoryId: z.string().min(1), note: note.optional() }),
  z.object({ taskIdx: z.number().int().min(0), kind: z.literal("unsolvable"), note: note.trim().min(1, "say why the task is unsolvable") }),
  z.object({ taskIdx: z.number().int().min(0), kind: z.literal("cleared"), note: note.optional() }),
]);

/** A person's mark on a task: its reference run, unsolvable with a note, or cleared. */
export const POST = route({ params: NameParams, input: mark }, async ({ taskIdx, ...input }, { params }) => markTask(params.name, taskIdx, input));
