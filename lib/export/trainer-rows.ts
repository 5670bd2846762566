/**
 * Rows for RL trainers' Parquet datasets, one per task of the exported runs: an RL trainer plays
 * its own rollouts, so its dataset is the prompts it resets with, each task once (a row per run
 * would weigh a task by how often it was played). A row holds the prompt (system prompt and task),
 * the reward reference in each trainer's shape, and in extra_info the environment, the task and how
 * its exported runs went (how many, mean reward, pass rate), for choosing tasks by difficulty.
 *
 * verl: data_source, prompt, ability, reward_model {style, ground_truth}, extra_info {split, index,
 * need_tools_kwargs, tools_kwargs {<tool>: {create_kwargs}}, interaction_kwargs}, agent_name.
 * The tools are AWM's two meta-tools, list_tools and call_tool, so tools_kwargs has the same keys in
 * every row; their create_kwargs name the environment and task to reset to.
 * SkyRL: data_source, prompt, env_class, reward_spec {method, ground_truth}, extra_info.
 */
import { SUCCESS_REWARD } from "../agent/stats.ts";
import type { TrajectoryRecord } from "../trajectories/store.ts";
import { promptMessages } from "./messages.ts";
import type { Field } from "./parquet-file.ts";

export const DATA_SOURCE = "agent_world_model";
export const ENV_CLASS = "awm";

const str = (name: string): Field => ({ name, kind: "string" });
const int = (name: string): Field => ({ name, kind: "int64" });
const struct = (name: string, fields: Field[]): Field => ({ name, kind: "struct", fields });
const list = (name: string, element: Field): Field => ({ name, kind: "list", element });

const PROMPT = list("prompt", struct("element", [str("role"), str("content")]));
const TASK_REF = [str("environment"), int("task_idx")];
const TASK_FIELDS: Field[] = [...TASK_REF, str("task"), int("runs"), { name: "mean_reward", kind: "double" }, { name: "pass_rate", kind: "double" }];

export const VERL_FIELDS: Field[] = [
  str("data_source"),
  PROMPT,
  str("ability"),
  struct("reward_model", [str("style"), str("ground_truth")]),
  struct("extra_info", [
    str("split"),
    int("index"),
    { name: "need_tools_kwargs", kind: "boolean" },
    struct("tools_kwargs", ["list_tools", "call_tool"].map((tool) => struct(tool, [struct("create_kwargs", TASK_REF)]))),
    struct("interaction_kwargs", [str("name"), ...TASK_REF]),
    ...TASK_FIELDS,
  ]),
  str("agent_name"),
];

export const SKYRL_FIELDS: Field[] = [
  str("data_source"),
  PROMPT,
  str("env_class"),
  struct("reward_spec", [str("method"), str("ground_truth")]),
  struct("extra_info", [str("split"), int("index"), ...TASK_FIELDS]),
];

/** A task of the exported runs and how they went. */
export interface ExportedTask {
  environment: string;
  taskIdx: number | null;
  task: string;
  runs: number;
  rewardSum: number;
  passes: number;
}

/** Tallies the exported runs by task, in the order their tasks first appear. */
export class TaskTally {
  private readonly byKey = new Map<string, ExportedTask>();

  add(run: TrajectoryRecord): void {
    const key = `${run.environmentName}\t${run.taskIdx ?? ""}\t${run.taskIdx === null ? run.task : ""}`;
    const task = this.byKey.get(key) ?? { environment: run.environmentName, taskIdx: run.taskIdx, task: run.task, runs: 0, rewardSum: 0, passes: 0 };
    task.runs += 1;
    task.rewardSum += run.reward ?? 0;
    task.passes += (run.reward ?? 0) >= SUCCESS_REWARD ? 1 : 0;
    this.byKey.set(key, task);
  }

  tasks(): ExportedTask[] {
    return [...this.byKey.values()];
  }
}

/** What a reward function needs to judge a rollout: the environment and task whose verifier decides. */
function groundTruth(task: ExportedTask): string {
  return JSON.stringify({ environment: task.environment, task_idx: task.taskIdx });
}

function taskRef(task: ExportedTask) {
  return { environment: task.environment, task_idx: task.taskIdx === null ? null : BigInt(task.taskIdx) };
}

function taskFields(task: ExportedTask) {
  return { ...taskRef(task), task: task.task, runs: BigInt(task.runs), mean_reward: task.rewardSum / task.runs, pass_rate: task.passes / task.runs };
}

function prompt(task: ExportedTask) {
  return promptMessages(task.task).map(({ role, content }) => ({ role, content }));
}

export function verlRow(task: ExportedTask, index: number): Record<string, unknown> {
  const ref = taskRef(task);
  return {
    data_source: DATA_SOURCE,
    prompt: prompt(task),
    ability: "agent",
    reward_model: { style: "rule", ground_truth: groundTruth(task) },
    extra_info: {
      split: "train",
      index: BigInt(index),
      need_tools_kwargs: true,
      tools_kwargs: { list_tools: { create_kwargs: ref }, call_tool: { create_kwargs: ref } },
      interaction_kwargs: { name: ENV_CLASS, ...ref },
      ...taskFields(task),
    },
    agent_name: "tool_agent",
  };
}

export function skyrlRow(task: ExportedTask, index: number): Record<string, unknown> {
  return {
    data_source: DATA_SOURCE,
    prompt: prompt(task),
    env_class: ENV_CLASS,
    reward_spec: { method: "rule", ground_truth: groundTruth(task) },
    extra_info: { split: "train", index: BigInt(index), ...taskFields(task) },
  };
}
