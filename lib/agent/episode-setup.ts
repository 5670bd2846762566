/**
 * What every episode of a run reads before it plays: its tasks' texts, the agent endpoint and model,
 * and whether the reward it counts can be judged. A rollout job reads it once for all its episodes
 * (and so plays them all with one model); a lone episode reads it for itself.
 */
import { resolveLlmTarget, type LlmTarget } from "../llm/settings.ts";
import { taskTexts } from "../store/task-text.ts";
import { requireJudgeFor } from "./episode-verdicts.ts";
import type { AgentSettings } from "./settings.ts";

export interface EpisodeSetup {
  tasks: ReadonlyMap<number, string>;
  target: LlmTarget;
}

export async function episodeSetup(environmentName: string, taskIdxs: readonly number[], settings: AgentSettings): Promise<EpisodeSetup> {
  const tasks = await taskTexts(environmentName, taskIdxs);
  const target = await resolveLlmTarget("agent", undefined, settings.model);
  await requireJudgeFor(settings.reward, environmentName, [...taskIdxs]);
  return { tasks, target };
}
