import { RunAgentPage } from "@/components/agent-run/run-agent-page";
import { TaskLink } from "@/components/ui/task-link";

/** `/agent-runs/new?env=NAME&task=IDX`: run the agent model on that task, watched live; `&run=ID` names the run this page started last (kept across a reload). */
export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const earlierRun = typeof params.run === "string" && params.run !== "" ? params.run : undefined;
  return <TaskLink searchParams={params} what="an agent run" page={(environment, taskIdx) => <RunAgentPage environment={environment} taskIdx={taskIdx} earlierRun={earlierRun} />} />;
}
