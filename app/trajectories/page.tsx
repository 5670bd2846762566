import { Suspense } from "react";
import { TrajectoryListPage } from "@/components/trajectories/trajectory-list-page";

export default function Page() {
  return (
    <Suspense>
      <TrajectoryListPage />
    </Suspense>
  );
}
