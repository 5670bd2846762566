import { z } from "zod";
import { TRAJECTORY_SOURCES } from "@/lib/trajectories/sources";
import { endOrphanedLiveRuns } from "@/lib/agent/live-run";
import { route } from "@/lib/http/handler";
import { listTrajectories, type TrajectoryList } from "@/lib/trajectories/store";

export const dynamic = "force-dynamic";

const optionalNumber = z.preprocess((value) => (value === "" ? undefined : value), z.coerce.number().optional());

const ListQuery = z.object({
  environment: z.string().optional(),
  taskIdx: optionalNumber,
  source: z.enum(TRAJECTORY_SOURCES).optional(),
  model: z.string().optional(),
  verdict: z.string().optional(),
  minReward: optionalNumber,
  maxReward: optionalNumber,
  diverged: z.enum(["true", "false"]).transform((value) => value === "true").optional(),
  tag: z.string().optional(),
  sort: z.enum(["createdAt", "reward", "steps"]).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
});

export const GET = route({ input: ListQuery }, async (filters): Promise<TrajectoryList> => {
  await endOrphanedLiveRuns();
  return { trajectories: await listTrajectories(filters) };
});
