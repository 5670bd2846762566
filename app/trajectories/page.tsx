import { TrajectoryListPage } from "@/components/trajectory/trajectory-list-page";

export default function Page() {
  return <TrajectoryListPage />;
}
