/**
 * What an export of a selection would hold, without reading its runs: counts by source and
 * classification, the reward distribution (one bar per distinct reward), and how many runs of the
 * selection are left out for having no reward (see run-selection.ts).
 */
import { studioDb, type StudioTx } from "../store/db.ts";
import { scopedEnvironments } from "../library/environment-scope.ts";
import { environmentsWithoutServedTools } from "../library/served-tools.ts";
import { curatedTasks, taskKey, UNEXPORTED_AGENT_STATUSES, type RunSelection } from "./run-selection.ts";

export interface DatasetSummary {
  runs: number;
  tasks: number;
  environments: number;
  bySource: Record<string, number>;
  byClassification: Record<string, number>;
  /** Ascending by reward. */
  rewards: { reward: number; runs: number }[];
  /** Runs left out: never judged, judging failed, or still in play. */
  unjudged: number;
  /**
   * Environments of the runs whose tools an openai or trl export takes from the spec: no instance of
   * their current code has run here, so what it serves (what agents were given) is not known.
   */
  toolsFromSpec: string[];
}

export async function datasetSummary(selection: RunSelection, db: StudioTx = studioDb()): Promise<DatasetSummary> {
  const environments = await scopedEnvironments(selection.environments, db);
  const curated = selection.curatedOnly ? await curatedTasks(environments, db) : undefined;
  const curatedKeys = curated && new Set([...curated].flatMap(([name, tasks]) => tasks.map((taskIdx) => taskKey(name, taskIdx))));
  const groups = await db.trajectory.groupBy({
    by: ["environmentName", "taskIdx", "source", "verdictClass", "reward"],
    where: { environmentName: { in: environments }, agentStatus: { notIn: UNEXPORTED_AGENT_STATUSES } },
    _count: { _all: true },
  });
  const summary: DatasetSummary = { runs: 0, tasks: 0, environments: 0, bySource: {}, byClassification: {}, rewards: [], unjudged: 0, toolsFromSpec: [] };
  const tasks = new Set<string>();
  const names = new Set<string>();
  const rewards = new Map<number, number>();
  for (const group of groups) {
    const key = taskKey(group.environmentName, group.taskIdx);
    if (curatedKeys && !curatedKeys.has(key)) continue;
    const count = group._count._all;
    if (group.reward === null) {
      summary.unjudged += count;
      continue;
    }
    summary.runs += count;
    tasks.add(key);
    names.add(group.environmentName);
    summary.bySource[group.source] = (summary.bySource[group.source] ?? 0) + count;
    const classification = group.verdictClass ?? "none";
    summary.byClassification[classification] = (summary.byClassification[classification] ?? 0) + count;
    rewards.set(group.reward, (rewards.get(group.reward) ?? 0) + count);
  }
  summary.tasks = tasks.size;
  summary.environments = names.size;
  summary.rewards = [...rewards].map(([reward, runs]) => ({ reward, runs })).sort((a, b) => a.reward - b.reward);
  summary.toolsFromSpec = await environmentsWithoutServedTools([...names], db);
  return summary;
}
