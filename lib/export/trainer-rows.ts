/**
 * Rows for RL trainers' Parquet datasets, one per run: the prompt the policy is reset with (system
 * prompt and task), the reward reference in each trainer's shape, and in extra_info the environment,
 * the task and the run itself (its messages, reward, classification, a person's tags and note).
 * Every message has the same fields (tool_calls an empty list when there are none), so one file is
 * one table.
 *
 * verl: data_source, prompt, ability, reward_model {style, ground_truth}, extra_info {split, index,
 * need_tools_kwargs, tools_kwargs {<tool>: {create_kwargs}}, interaction_kwargs}, agent_name.
 * The tools are AWM's two meta-tools, list_tools and call_tool, so tools_kwargs has the same keys in
 * every row; their create_kwargs name the environment and task to reset to.
 * SkyRL: data_source, prompt, env_class, reward_spec {method, ground_truth}, extra_info.
 */
import type { TrajectoryRecord } from "../trajectories/store.ts";
import { chatMessages, promptMessages, type ChatMessage } from "./messages.ts";
import type { Field } from "./parquet-file.ts";

export const DATA_SOURCE = "agent_world_model";
export const ENV_CLASS = "awm";

const str = (name: string): Field => ({ name, kind: "string" });
const int = (name: string): Field => ({ name, kind: "int64" });
const struct = (name: string, fields: Field[]): Field => ({ name, kind: "struct", fields });
const list = (name: string, element: Field): Field => ({ name, kind: "list", element });

const PROMPT = list("prompt", struct("element", [str("role"), str("content")]));
const TASK_REF = [str("environment"), int("task_idx")];
const MESSAGE = struct("element", [
  str("role"),
  str("content"),
  list("tool_calls", struct("element", [str("id"), str("type"), struct("function", [str("name"), str("arguments")])])),
  str("tool_call_id"),
]);
const RUN_FIELDS: Field[] = [
  ...TASK_REF,
  str("task"),
  str("trajectory_id"),
  str("source"),
  str("model"),
  { name: "reward", kind: "double" },
  str("classification"),
  list("tags", str("element")),
  str("review_note"),
  list("messages", MESSAGE),
];

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
    ...RUN_FIELDS,
  ]),
  str("agent_name"),
];

export const SKYRL_FIELDS: Field[] = [
  str("data_source"),
  PROMPT,
  str("env_class"),
  struct("reward_spec", [str("method"), str("ground_truth")]),
  struct("extra_info", [str("split"), int("index"), ...RUN_FIELDS]),
];

/** What a reward function needs to judge a rollout: the environment and task whose verifier decides. */
function groundTruth(run: TrajectoryRecord): string {
  return JSON.stringify({ environment: run.environmentName, task_idx: run.taskIdx });
}

function taskRef(run: TrajectoryRecord) {
  return { environment: run.environmentName, task_idx: run.taskIdx === null ? null : BigInt(run.taskIdx) };
}

function runFields(run: TrajectoryRecord) {
  return {
    ...taskRef(run),
    task: run.task,
    trajectory_id: run.id,
    source: run.source,
    model: run.model,
    reward: run.reward,
    classification: run.verdictClass,
    tags: run.tags,
    review_note: run.reviewNote,
    messages: chatMessages(run).map(uniformMessage),
  };
}

function uniformMessage(message: ChatMessage) {
  return { role: message.role, content: message.content, tool_calls: message.tool_calls ?? [], tool_call_id: message.tool_call_id ?? "" };
}

function prompt(run: TrajectoryRecord) {
  return promptMessages(run.task).map(({ role, content }) => ({ role, content }));
}

export function verlRow(run: TrajectoryRecord, index: number): Record<string, unknown> {
  const ref = taskRef(run);
  return {
    data_source: DATA_SOURCE,
    prompt: prompt(run),
    ability: "agent",
    reward_model: { style: "rule", ground_truth: groundTruth(run) },
    extra_info: {
      split: "train",
      index: BigInt(index),
      need_tools_kwargs: true,
      tools_kwargs: { list_tools: { create_kwargs: ref }, call_tool: { create_kwargs: ref } },
      interaction_kwargs: { name: ENV_CLASS, ...ref },
      ...runFields(run),
    },
    agent_name: "tool_agent",
  };
}

export function skyrlRow(run: TrajectoryRecord, index: number): Record<string, unknown> {
  return {
    data_source: DATA_SOURCE,
    prompt: prompt(run),
    env_class: ENV_CLASS,
    reward_spec: { method: "rule", ground_truth: groundTruth(run) },
    extra_info: { split: "train", index: BigInt(index), ...runFields(run) },
  };
}
