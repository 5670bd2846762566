import { StartPlaytest } from "@/components/playtest/start-playtest";
import { TaskLink } from "@/components/ui/task-link";

/** `/playtest/new?env=NAME&task=IDX` starts a playtest of that task and moves to its page. */
export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <TaskLink searchParams={await searchParams} what="a playtest" page={(environment, taskIdx) => <StartPlaytest environment={environment} taskIdx={taskIdx} />} />;
}
