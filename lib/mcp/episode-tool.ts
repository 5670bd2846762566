/**
 * The tool an episode adds to its instance's MCP face, in both views: `finish_episode` ends the
 * episode with the agent's final answer and runs the task's verifier.
 */
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { EpisodeVerdict, InstanceToolHost } from "../instances/manager.ts";
import { errorResult, thrownErrorResult } from "./tool-result.ts";

export const FINISH_EPISODE_TOOL = "finish_episode";

/** An environment tool of the same name keeps it: the episode then ends from the web or the CLI. */
function offersFinish(host: InstanceToolHost): host is InstanceToolHost & { finish: (finalAnswer: string) => Promise<EpisodeVerdict> } {
  return host.finish !== undefined && !host.tools().some((tool) => tool.name === FINISH_EPISODE_TOOL);
}

/** The episode's tools: none unless an episode records the instance. */
export function episodeTools(host: InstanceToolHost): Tool[] {
  if (!offersFinish(host)) return [];
  return [
    {
      name: FINISH_EPISODE_TOOL,
      description: "End this episode with your final answer to the task; the task's verifier then judges the environment's state.",
      inputSchema: { type: "object", properties: { answer: { type: "string", description: "Your final answer to the user." } } },
      // The verdict as fields too, so a trainer's worker reads the reward without parsing the text.
      outputSchema: {
        type: "object",
        properties: {
          episode: { type: "string", description: "The episode's id (its trajectory in the studio)." },
          classification: { type: "string", description: "complete, others (not complete), format_error or judge_error (not judged)." },
          reward: { type: ["number", "null"], description: "The episode's reward; null when it could not be judged." },
          reason: { type: "string", description: "The verifier's reason, or why judging failed." },
        },
        required: ["episode", "classification", "reward", "reason"],
      },
    },
  ];
}

/** Undefined when `name` is not the episode's tool (or the instance has no episode). */
export async function callEpisodeTool(host: InstanceToolHost, name: string, args: Record<string, unknown>): Promise<CallToolResult | undefined> {
  if (name !== FINISH_EPISODE_TOOL || !offersFinish(host)) return undefined;
  const { answer = "" } = args;
  if (typeof answer !== "string") return errorResult(`${FINISH_EPISODE_TOOL}: answer must be a string`);
  try {
    const { text, ...verdict } = await host.finish(answer);
    return { content: [{ type: "text", text }], structuredContent: verdict };
  } catch (error) {
    return thrownErrorResult(error);
  }
}
