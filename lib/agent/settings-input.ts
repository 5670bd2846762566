/** Agent settings as the web sends them: any subset, checked, the rest from the defaults. */
import { z } from "zod";
import { AGENT_PROTOCOLS, agentSettings, MALFORMED_POLICIES, MAX_AGENT_TURNS, REWARD_SOURCES, type AgentSettings } from "./settings.ts";

/** Each setting's type and bounds. */
export const agentSettingsFields = z.object({
  protocol: z.enum(AGENT_PROTOCOLS),
  nativeTools: z.enum(["environment", "meta"]),
  toolResultsAs: z.enum(["tool", "user"]),
  model: z.string().min(1),
  maxTurns: z.number().int().min(1).max(MAX_AGENT_TURNS),
  temperature: z.number().min(0).max(2),
  maxTokens: z.number().int().min(1),
  historyWindow: z.number().int().min(1).nullable(),
  truncateToolResult: z.number().int().min(1).nullable(),
  callTimeoutMs: z.number().int().min(1),
  onMalformed: z.enum(MALFORMED_POLICIES),
  reward: z.enum(REWARD_SOURCES),
});

export const agentSettingsInput = agentSettingsFields
  .partial()
  .default({})
  .transform((overrides): AgentSettings => agentSettings(overrides));
