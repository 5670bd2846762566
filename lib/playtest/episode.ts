/**
 * An episode for any agent outside the studio (a trainer's rollout worker, Claude, the MCP
 * Inspector): a playtest whose player is named by the caller and reaches the instance over MCP.
 * The episode's id is its trajectory's id.
 */
import { ConflictError } from "../errors.ts";
import { listInstances } from "../instances/manager.ts";
import { instanceMcpToken } from "../http/mcp-token.ts";
import { taskText } from "../store/task-text.ts";
import { tasksWithoutVerifier } from "../verify/judge-modes.ts";
import { finishPlaytest, startPlaytest, type PlaytestFinishResult } from "./session.ts";

const EXTERNAL_AGENT = "external agent (MCP)";

export interface EpisodeStart {
  episode: string;
  instanceId: string;
  /** The task the agent is to do, as the environment states it. */
  task: string;
  /** Streamable HTTP MCP endpoint with every environment tool plus finish_episode. */
  mcpUrl: string;
  /**
   * The bearer token for these MCP URLs and nothing else (see lib/http/mcp-token.ts); absent when the
   * studio needs no token.
   */
  mcpToken?: string;
  /** The same with AWM's list_tools/call_tool pair. */
  awmMcpUrl: string;
  trajectoryUrl: string;
  /** What the agent should know before it plays (a task no verifier can judge). */
  warnings: string[];
}

/** `origin` is where the studio is reached (the request's), for the URLs handed out. */
export async function startEpisode(environmentName: string, taskIdx: number, origin: string, agent: string = EXTERNAL_AGENT): Promise<EpisodeStart> {
  const { trajectoryId, instanceId } = await startPlaytest(environmentName, taskIdx, { agent, source: "episode" });
  const unjudged = (await tasksWithoutVerifier(environmentName, "code", [taskIdx])).length > 0;
  const warnings = unjudged ? [`task ${taskIdx} of ${environmentName} has no code-mode verifier: finishing will record the episode without a reward (the LLM judge can still judge it in sql mode)`] : [];
  const task = await taskText(environmentName, taskIdx);
  const mcpUrl = new URL(`/api/instances/${instanceId}/mcp`, origin).toString();
  return { episode: trajectoryId, instanceId, task, mcpUrl, mcpToken: instanceMcpToken(instanceId), awmMcpUrl: `${mcpUrl}?view=awm`, trajectoryUrl: new URL(`/trajectories/${trajectoryId}`, origin).toString(), warnings };
}

/** Finishes the episode on the live instance recording it and runs the task's verifier. */
export async function finishEpisode(episode: string, finalAnswer: string): Promise<PlaytestFinishResult> {
  const instances = listInstances().filter((candidate) => candidate.episode === episode);
  const instance = instances.find((candidate) => candidate.status === "running");
  const ended = instances.at(-1);
  if (!instance && ended) {
    throw new ConflictError(`episode ${episode}'s instance is ${ended.status}${ended.exitReason ? ` (${ended.exitReason})` : ""}: restart it on its playtest page (/playtest/${episode}), which keeps the steps so far, then finish it there or with finish_episode`);
  }
  if (!instance) throw new ConflictError(`episode ${episode} has no running instance: it is finished, or no episode has that id`);
  return finishPlaytest({ trajectoryId: episode, instanceId: instance.id }, finalAnswer);
}
