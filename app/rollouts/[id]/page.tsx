import { RolloutResultsPage } from "@/components/rollouts/rollout-results-page";

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <RolloutResultsPage jobId={id} />;
}
