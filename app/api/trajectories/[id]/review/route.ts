import { z } from "zod";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { setTrajectoryReview } from "@/lib/trajectories/review";
import { MAX_TAG_LENGTH } from "@/lib/trajectories/review-tags";

export const dynamic = "force-dynamic";

const input = z.object({ tags: z.array(z.string().trim().max(MAX_TAG_LENGTH)).max(50), note: z.string().max(20_000).default("") });

/** Replaces the trajectory's tags and note. */
export const POST = route({ params: IdParams, input }, (review, { params }) => setTrajectoryReview(params.id, review));
