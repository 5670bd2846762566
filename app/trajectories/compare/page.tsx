import { Suspense } from "react";
import { ComparePage } from "@/components/trajectories/compare-page";

export default function Page() {
  return (
    <Suspense>
      <ComparePage />
    </Suspense>
  );
}
