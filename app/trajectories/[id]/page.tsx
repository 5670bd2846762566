import { TrajectoryPage } from "@/components/trajectory/trajectory-page";

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <TrajectoryPage id={id} />;
}
