import { InstancesPage } from "@/components/instances/instances-page";

export default function Page() {
  return <InstancesPage />;
}
