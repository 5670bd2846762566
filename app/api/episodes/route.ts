import { z } from "zod";
import { route } from "@/lib/http/handler";
import { startEpisode } from "@/lib/playtest/episode";

export const dynamic = "force-dynamic";

const input = z.object({ environment: z.string().min(1), taskIdx: z.number().int().min(0), agent: z.string().min(1).optional() });

/** Starts an episode for an outside agent: `{ environment, taskIdx, agent? }` → `{ episode, instanceId, mcpUrl, awmMcpUrl, trajectoryUrl }`. */
export const POST = route({ input }, async ({ environment, taskIdx, agent }, { request }) => startEpisode(environment, taskIdx, request.url, agent));
