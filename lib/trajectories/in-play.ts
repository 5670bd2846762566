/**
 * Whether a trajectory is still being played: an agent run that has not ended, or a playtest (an
 * outside agent's episode too) not finished yet, whose final database comes only with its finish.
 * Such a run is shown live and is not replayed (a replay would give it a final database).
 */
import type { TrajectoryDetail } from "./store.ts";
import { recordedLive } from "./sources.ts";

export function inPlay(trajectory: Pick<TrajectoryDetail, "source" | "agentStatus" | "finalDbFile">): boolean {
  return (trajectory.source === "agent" && trajectory.agentStatus === "running") || (recordedLive(trajectory.source) && !trajectory.finalDbFile);
}
