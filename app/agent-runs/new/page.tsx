import { RunAgentPage } from "@/components/agent-run/run-agent-page";
import { TaskLink } from "@/components/ui/task-link";

/** `/agent-runs/new?env=NAME&task=IDX`: run the agent model on that task, watched live. */
export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <TaskLink searchParams={await searchParams} what="an agent run" page={(environment, taskIdx) => <RunAgentPage environment={environment} taskIdx={taskIdx} />} />;
}
