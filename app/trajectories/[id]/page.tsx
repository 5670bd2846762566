import { TrajectoryPage } from "@/components/trajectories/trajectory-page";
import { getTrajectoryStep } from "@/lib/trajectories/store";
import { getTrajectoryView } from "@/lib/verify/trajectory-view";

export const dynamic = "force-dynamic";

/**
 * Reads the outline and the first step's diffs here, so the page arrives rendered instead of
 * fetching them after hydration. An unknown id renders the client's not-found error from its own fetch.
 */
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const trajectory = await getTrajectoryView(id);
  const first = trajectory?.steps[0];
  const firstStep = first && (await getTrajectoryStep(id, first.ordinal));
  return <TrajectoryPage id={id} initial={trajectory && { trajectory, firstStep }} />;
}
