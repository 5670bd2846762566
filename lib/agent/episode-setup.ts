/**
 * What every episode of a run reads before it plays: its tasks' texts, the agent endpoint and model,
 * whether the reward it counts can be judged, and which tasks the LLM judge also judges. A rollout
 * job reads it once for all its episodes (and so plays them all with one model); a lone episode
 * reads it for itself.
 */
import { resolveLlmTarget, type LlmTarget } from "../llm/settings.ts";
import { taskTexts } from "../store/task-text.ts";
import { judgeReadiness, requireJudgeFor } from "./episode-verdicts.ts";
import type { AgentSettings } from "./settings.ts";

export interface EpisodeSetup {
  tasks: ReadonlyMap<number, string>;
  target: LlmTarget;
  /**
   * Tasks whose episodes get the LLM judge's verdict beside the code verifier's: a judge model is
   * configured and the task has a sql-mode verifier (whose evidence the judge reads). Without one
   * the judging could only fail, and a judge error on every episode says nothing.
   */
  judged: ReadonlySet<number>;
}

export async function episodeSetup(environmentName: string, taskIdxs: readonly number[], settings: AgentSettings): Promise<EpisodeSetup> {
  const tasks = await taskTexts(environmentName, taskIdxs);
  const target = await resolveLlmTarget("agent", undefined, settings.model);
  const readiness = await judgeReadiness(environmentName, taskIdxs);
  await requireJudgeFor(settings.reward, environmentName, taskIdxs, readiness);
  const judged = readiness.judgeMissing === undefined ? taskIdxs.filter((taskIdx) => !readiness.withoutSqlVerifier.includes(taskIdx)) : [];
  return { tasks, target, judged: new Set(judged) };
}
