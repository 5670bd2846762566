import { TrajectoryPage } from "@/components/trajectories/trajectory-page";
import { getTrajectoryStep } from "@/lib/trajectories/store";
import { getTrajectoryView } from "@/lib/verify/trajectory-view";

export const dynamic = "force-dynamic";

/**
 * Reads the outline and the opening step's diffs here, so the page arrives rendered instead of
 * fetching them after hydration. `?step=N` opens at step N (numbered from 1, as shown), else at the
 * first. An unknown id renders the client's not-found error from its own fetch.
 */
export default async function Page({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ step?: string }> }) {
  const { id } = await params;
  const { step } = await searchParams;
  const trajectory = await getTrajectoryView(id);
  const opening = trajectory?.steps.find((candidate) => String(candidate.ordinal + 1) === step) ?? trajectory?.steps[0];
  const firstStep = opening && (await getTrajectoryStep(id, opening.ordinal));
  return <TrajectoryPage id={id} initial={trajectory && { trajectory, firstStep }} />;
}
