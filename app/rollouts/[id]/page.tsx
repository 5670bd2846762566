import { Suspense } from "react";
import { RolloutResultsPage } from "@/components/rollouts/rollout-results-page";

/** `/rollouts/<job>?task=N`: a rollout job's results, with task N picked. */
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense>
      <RolloutResultsPage jobId={id} />
    </Suspense>
  );
}
