/** An agent run's settings: protocol, sampling and limits (defaults as AWM's reference agent). */
export const AGENT_PROTOCOLS = ["awm", "native"] as const;
export type AgentProtocol = (typeof AGENT_PROTOCOLS)[number];
export const MALFORMED_POLICIES = ["end", "feedback"] as const;
export type MalformedPolicy = (typeof MALFORMED_POLICIES)[number];
/** Which verdict is a rollout's reward: the code verifier's, or the LLM judge's (sql mode). */
export const REWARD_SOURCES = ["code", "judge"] as const;
export type RewardSource = (typeof REWARD_SOURCES)[number];
/** The most turns an episode may be given (the web's and the API's bound). */
export const MAX_AGENT_TURNS = 1000;

export interface AgentSettings {
  /** `awm`: list_tools/call_tool in <tool_call> text; `native`: OpenAI function calling. */
  protocol: AgentProtocol;
  /** native only: offer the environment's own tools, or AWM's two meta-tools. */
  nativeTools: "environment" | "meta";
  /** awm only: tool results as `role: "tool"` messages (vLLM) or as a user message "Tool response: …". */
  toolResultsAs: "tool" | "user";
  /** Overrides the agent role's configured model. */
  model?: string;
  maxTurns: number;
  temperature: number;
  maxTokens: number;
  /** Interactions kept besides the system prompt and the task; null keeps the whole history. */
  historyWindow: number | null;
  /** Characters of a tool result the model sees; null shows it whole. */
  truncateToolResult: number | null;
  /** Per tool call; over it the episode is an infrastructure failure (environment timeout). */
  callTimeoutMs: number;
  /** Per model call. */
  modelTimeoutMs: number;
  onMalformed: MalformedPolicy;
  /** The verdict GRPO statistics read. With a judge model configured both verdicts are recorded either way. */
  reward: RewardSource;
}

/** Whether the agent is given AWM's list_tools/call_tool pair rather than the environment's tools themselves. */
export function offersMetaTools(settings: Pick<AgentSettings, "protocol" | "nativeTools">): boolean {
  return settings.protocol === "awm" || settings.nativeTools === "meta";
}

export const DEFAULT_AGENT_SETTINGS: AgentSettings = {
  protocol: "awm",
  nativeTools: "environment",
  toolResultsAs: "user",
  maxTurns: 30,
  temperature: 1.0,
  maxTokens: 2048,
  historyWindow: null,
  truncateToolResult: null,
  callTimeoutMs: 60_000,
  modelTimeoutMs: 120_000,
  onMalformed: "end",
  reward: "code",
};

export function agentSettings(overrides: Partial<AgentSettings> = {}): AgentSettings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_AGENT_SETTINGS, ...defined };
}

/** The settings in one line, as a results page or report states what a job played with. */
export function settingsText(settings: AgentSettings): string {
  const protocol =
    settings.protocol === "awm"
      ? `AWM protocol (tool results as ${settings.toolResultsAs === "user" ? "a user message" : "tool messages"})`
      : `native protocol (${settings.nativeTools === "meta" ? "the two meta-tools" : "the environment's tools"})`;
  return [
    protocol,
    `malformed calls ${settings.onMalformed === "end" ? "end the episode" : "go back to the model"}`,
    `at most ${settings.maxTurns} turns`,
    `temperature ${settings.temperature}`,
    `${settings.maxTokens} tokens a turn`,
    settings.historyWindow === null ? "whole history" : `history window ${settings.historyWindow}`,
    settings.truncateToolResult === null ? "tool results whole" : `tool results cut at ${settings.truncateToolResult} characters`,
    `calls time out at ${settings.callTimeoutMs / 1000} s`,
  ].join(" · ");
}
