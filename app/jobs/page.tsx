import { JobsPage } from "@/components/pipeline/jobs-page";

export default function Page() {
  return <JobsPage />;
}
