import { z } from "zod";
import { runAgentLive } from "@/lib/agent/live-run";
import { agentSettingsInput } from "@/lib/agent/settings-input";
import { route, sseResponse } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

const input = z.object({ environment: z.string().min(1), taskIdx: z.number().int().min(0), settings: agentSettingsInput });

/**
 * Runs the agent model on one task and streams it as server-sent events: `started` with the
 * trajectory and instance, a `step` for each recorded step as it arrives, then `done` with the result.
 * A client that goes away stops the run.
 */
export const POST = route({ input }, async ({ environment, taskIdx, settings }, { request }) =>
  sseResponse(async (send, gone) => {
    // A watcher that leaves (the page reloaded or closed) stops the run as Stop does: it ends before its next turn and is judged.
    const result = await runAgentLive({ environment, taskIdx, settings }, { started: (run) => send("started", run), step: (step) => send("step", step) }, AbortSignal.any([request.signal, gone]));
    send("done", result);
  }),
);
