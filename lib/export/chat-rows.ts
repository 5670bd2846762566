/**
 * JSONL rows for chat trainers. `openai`: the run in chat-completions shape with the environment's
 * tools, reward and classification. TRL: the same conversation in TRL's shape (tool-call arguments
 * as objects, tool turns named) for SFT, and prompt-only rows (one per task) for GRPO, whose extra
 * columns (environment, task_idx) reach the reward function and the environment's reset.
 */
import { verdictDistrusted } from "../trajectories/review-tags.ts";
import { parseExactJson } from "../json/exact-json.ts";
import type { TrajectoryRecord } from "../trajectories/store.ts";
import { chatMessages, promptMessages, type ChatMessage } from "./messages.ts";
import type { FunctionTool } from "./tool-schemas.ts";

export function openaiRow(run: TrajectoryRecord, tools: FunctionTool[]) {
  return {
    messages: chatMessages(run),
    tools,
    reward: run.reward,
    classification: run.verdictClass,
    environment: run.environmentName,
    task_idx: run.taskIdx,
    task: run.task,
    trajectory_id: run.id,
    source: run.source,
    model: run.model,
    tags: run.tags,
    review_note: run.reviewNote,
  };
}

/** Runs worth imitating: judged complete, every call well-formed, and no reviewer distrusting the verdict. */
export function isGoodRun(run: TrajectoryRecord): boolean {
  return run.verdictClass === "complete" && run.steps.every((step) => !step.malformed) && !verdictDistrusted(run.tags);
}

export function trlSftRow(run: TrajectoryRecord, tools: FunctionTool[]) {
  return { messages: trlMessages(chatMessages(run)), tools, environment: run.environmentName, task_idx: run.taskIdx, trajectory_id: run.id, tags: run.tags };
}

export function trlPromptRow(run: TrajectoryRecord) {
  return { prompt: promptMessages(run.task), environment: run.environmentName, task_idx: run.taskIdx, task: run.task };
}

function trlMessages(messages: ChatMessage[]) {
  const names = new Map<string, string>();
  return messages.map((message) => {
    if (message.tool_calls) {
      for (const call of message.tool_calls) names.set(call.id, call.function.name);
      return {
        role: message.role,
        content: message.content,
        tool_calls: message.tool_calls.map((call) => ({ type: "function", function: { name: call.function.name, arguments: parseExactJson(call.function.arguments) } })),
      };
    }
    if (message.role === "tool") return { role: "tool", name: names.get(message.tool_call_id ?? "") ?? "", content: message.content };
    return message;
  });
}
