"use client";

import { useLlmReadiness } from "@/components/settings/use-llm-settings";

/** Which model plays, as Settings name it, or why none can: said before anything is launched. */
export function AgentModel() {
  const agent = useLlmReadiness("agent");
  if (!agent) return null;
  return (
    <div className={agent.ready ? "faint" : undefined} data-testid="agent-model">
      {agent.ready ? (
        <>
          Agent model <span className="mono">{agent.model}</span>
        </>
      ) : (
        agent.reason
      )}
    </div>
  );
}
