"use client";

import { MAX_AGENT_TURNS, type AgentSettings } from "@/lib/agent/settings";
import { agentSettingsFields } from "@/lib/agent/settings-input";
import { useRememberedState } from "@/components/ui/use-remembered-state";
import { NumberField } from "@/components/ui/number-field";
import { useLlmReadiness } from "@/components/settings/use-llm-settings";
import styles from "./agent-run.module.css";

/** The settings a web run picks; the rest keep their defaults (lib/agent/settings.ts). */
export type WebAgentSettings = Pick<AgentSettings, "protocol" | "maxTurns" | "temperature" | "historyWindow" | "onMalformed" | "reward">;

export const WEB_AGENT_DEFAULTS: WebAgentSettings = { protocol: "awm", maxTurns: 30, temperature: 1, historyWindow: null, onMalformed: "end", reward: "code" };

/** What a web form sets, any part of it, the rest from the defaults. */
const WEB_SETTINGS = agentSettingsFields
  .pick({ protocol: true, maxTurns: true, temperature: true, historyWindow: true, onMalformed: true, reward: true })
  .partial()
  .transform((stored): WebAgentSettings => ({ ...WEB_AGENT_DEFAULTS, ...stored }));

/** The settings of the agent-run and rollout forms, as this browser last set them (checked as the API checks them). */
export function useWebAgentSettings(): [WebAgentSettings, (next: WebAgentSettings) => void] {
  return useRememberedState("awm-studio.agent-settings", WEB_AGENT_DEFAULTS, WEB_SETTINGS);
}

/** Protocol, limits, the malformed-call policy and the verdict that is the reward of an agent run. */
export function AgentSettingsForm({
  value,
  onChange,
  onProblem,
  disabled,
}: {
  value: WebAgentSettings;
  onChange: (value: WebAgentSettings) => void;
  /** A number field's problem (see NumberField), or null once it is fixed. */
  onProblem: (label: string, problem: string | null) => void;
  disabled: boolean;
}) {
  const set = <K extends keyof WebAgentSettings>(key: K, next: WebAgentSettings[K]) => onChange({ ...value, [key]: next });
  const judge = useLlmReadiness("judge");
  const noJudge = judge && !judge.ready ? judge.reason : undefined;
  return (
    <fieldset className={styles.settings} disabled={disabled} data-testid="agent-settings">
      <label>
        Protocol
        <select className="input" value={value.protocol} onChange={(event) => set("protocol", event.target.value === "native" ? "native" : "awm")}>
          <option value="awm">awm (list_tools / call_tool in text)</option>
          <option value="native">native (function calling)</option>
        </select>
      </label>
      <label>
        Max turns
        <NumberField label="Max turns" min={1} max={MAX_AGENT_TURNS} value={value.maxTurns} onChange={(next) => set("maxTurns", next ?? WEB_AGENT_DEFAULTS.maxTurns)} onProblem={onProblem} testId="agent-max-turns" />
      </label>
      <label>
        Temperature
        <NumberField label="Temperature" min={0} max={2} step={0.1} integer={false} value={value.temperature} onChange={(next) => set("temperature", next ?? WEB_AGENT_DEFAULTS.temperature)} onProblem={onProblem} testId="agent-temperature" />
      </label>
      <label>
        History window
        <NumberField label="History window" min={1} allowEmpty placeholder="whole history" value={value.historyWindow} onChange={(next) => set("historyWindow", next)} onProblem={onProblem} testId="agent-history-window" />
      </label>
      <label>
        Malformed call
        <select className="input" value={value.onMalformed} onChange={(event) => set("onMalformed", event.target.value === "feedback" ? "feedback" : "end")}>
          <option value="end">ends the episode (reward −1)</option>
          <option value="feedback">goes back to the model</option>
        </select>
      </label>
      <label title="With a judge model configured (Settings) every episode gets both verdicts; this picks the one the reward and the statistics read">
        Reward
        <select className="input" value={value.reward} onChange={(event) => set("reward", event.target.value === "judge" ? "judge" : "code")} data-testid="agent-reward">
          <option value="code">code verifier</option>
          <option value="judge" disabled={noJudge !== undefined}>
            LLM judge (sql mode){noJudge ? ": no judge model" : ""}
          </option>
        </select>
        {noJudge && value.reward === "judge" && <span className="faint">{noJudge}</span>}
      </label>
    </fieldset>
  );
}
