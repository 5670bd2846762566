"use client";

import { useCallback, useRef, useState } from "react";
import type { EpisodeResult } from "@/lib/agent/episode";
import type { LiveRunStarted } from "@/lib/agent/live-run";
import type { AgentSettings } from "@/lib/agent/settings";
import type { StepView } from "@/lib/trajectories/store";
import { fetchJson, postEventStream } from "@/components/ui/fetch-json";
import { messageOf } from "@/lib/errors";

export interface LiveRun {
  trajectoryId: string | null;
  steps: StepView[];
  result: EpisodeResult | null;
  error: string | null;
  running: boolean;
  stopping: boolean;
}

const IDLE: LiveRun = { trajectoryId: null, steps: [], result: null, error: null, running: false, stopping: false };

/** Runs the agent on a task over the streaming route (POST /api/agent-runs) and keeps each step as it arrives. */
export function useLiveRun(environment: string, taskIdx: number) {
  const [run, setRun] = useState<LiveRun>(IDLE);
  const trajectoryId = useRef<string | null>(null);

  const start = useCallback(
    async (settings: Partial<AgentSettings>) => {
      trajectoryId.current = null;
      setRun({ ...IDLE, running: true });
      try {
        await postEventStream("/api/agent-runs", { environment, taskIdx, settings }, ({ event, data }) => {
          const value = JSON.parse(data) as unknown;
          if (event === "started") {
            trajectoryId.current = (value as LiveRunStarted).trajectoryId;
            setRun((current) => ({ ...current, trajectoryId: trajectoryId.current }));
          } else if (event === "step") setRun((current) => ({ ...current, steps: [...current.steps, value as StepView] }));
          else if (event === "done") setRun((current) => ({ ...current, result: value as EpisodeResult }));
          else if (event === "error") setRun((current) => ({ ...current, error: (value as { message: string }).message }));
        }, "the agent run");
      } catch (error) {
        setRun((current) => ({ ...current, error: messageOf(error) }));
      } finally {
        setRun((current) => ({ ...current, running: false, stopping: false }));
      }
    },
    [environment, taskIdx],
  );

  const stop = useCallback(async () => {
    if (!trajectoryId.current) return;
    setRun((current) => ({ ...current, stopping: true }));
    await fetchJson(`/api/agent-runs/${encodeURIComponent(trajectoryId.current)}/stop`, { method: "POST", body: "{}" }).catch((error: unknown) =>
      setRun((current) => ({ ...current, stopping: false, error: messageOf(error) })),
    );
  }, []);

  return { run, start, stop };
}
