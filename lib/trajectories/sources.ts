/**
 * Where a trajectory came from: a person's playtest in the studio, an outside agent's episode (an MCP
 * client, a trainer's worker: started with \`episode start\` or POST /api/episodes), an imported AWM
 * run, or the studio's own agent. Pure, so pages can use it.
 */
export const TRAJECTORY_SOURCES = ["playtest", "episode", "import", "agent"] as const;
export type TrajectorySource = (typeof TRAJECTORY_SOURCES)[number];

/** Played on a studio instance that records every call as it is made: a playtest, or an outside agent's episode. */
export function recordedLive(source: string): boolean {
  return source === "playtest" || source === "episode";
}
