import { z } from "zod";
import { route } from "@/lib/http/handler";
import { startEpisode } from "@/lib/playtest/episode";

export const dynamic = "force-dynamic";

const input = z.object({ environment: z.string().min(1), taskIdx: z.number().int().min(0), agent: z.string().min(1).optional() });

/**
 * Starts an episode for an outside agent: `{ environment, taskIdx, agent? }` → `{ episode, instanceId, task, mcpUrl, mcpToken, awmMcpUrl, trajectoryUrl }`;
 * `mcpToken` opens the episode's MCP URLs and nothing else of the studio.
 * Its URLs name the host the caller reached (the gate lets only the studio's own names through), not
 * the one Next rebuilds the request's URL with (localhost), where the caller's token cookie is not.
 */
export const POST = route({ input }, async ({ environment, taskIdx, agent }, { request }) => {
  const url = new URL(request.url);
  return startEpisode(environment, taskIdx, `${url.protocol}//${request.headers.get("host") ?? url.host}`, agent);
});
