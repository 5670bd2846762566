/** One model call of an episode through the recorded LLM client, with the agent's metadata. */
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import type { CatalogTool } from "../instances/shadowed-tools.ts";
import { LlmCallError, llmCall, type LlmResult } from "../llm/client.ts";
import type { LlmTarget } from "../llm/settings.ts";
import { awmMetaTools } from "../mcp/awm-view.ts";
import { functionTools } from "../runtime/tool-catalog.ts";
import { InfraFailure } from "./infra-failure.ts";
import type { AgentSettings } from "./settings.ts";

export type AgentMessage = ChatCompletionMessageParam;

export interface TurnLabel {
  /** Normalized scenario name. */
  scenario: string;
  taskIdx: number;
  rollout: number;
  turn: number;
}

/** `target`: the agent endpoint and model the episode resolved at its start. The call's record is written meanwhile: a step linking to it waits for `recorded`. */
export async function modelTurn(messages: AgentMessage[], label: TurnLabel, settings: AgentSettings, target: LlmTarget, tools?: ChatCompletionTool[]): Promise<LlmResult> {
  try {
    return await llmCall({
      role: "agent",
      target,
      stage: "agent",
      scenario: label.scenario,
      metadata: { task: String(label.taskIdx), rollout: String(label.rollout), turn: String(label.turn) },
      messages,
      ...(tools && { tools }),
      temperature: settings.temperature,
      maxTokens: settings.maxTokens,
      timeoutMs: settings.modelTimeoutMs,
      deferRecord: true,
    });
  } catch (error) {
    if (error instanceof LlmCallError) throw new InfraFailure("model endpoint", error.message);
    throw error;
  }
}

/** The `tools` of the native protocol: the environment's own, or AWM's two meta-tools. */
export function nativeToolList(tools: CatalogTool[], which: AgentSettings["nativeTools"]): ChatCompletionTool[] {
  return functionTools(which === "meta" ? awmMetaTools() : tools);
}
