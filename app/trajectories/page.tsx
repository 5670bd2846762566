import { TrajectoryListPage } from "@/components/trajectories/trajectory-list-page";

export default function Page() {
  return <TrajectoryListPage />;
}
