import { ErrorBox } from "@/components/ui/error-box";
import { StartPlaytest } from "@/components/playtest/start-playtest";

/** `/playtest/new?env=NAME&task=IDX` starts a playtest of that task and moves to its page. */
export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { env, task } = await searchParams;
  const taskIdx = Number(task);
  if (typeof env !== "string" || env === "" || typeof task !== "string" || !Number.isInteger(taskIdx) || taskIdx < 0) {
    return (
      <div className="page">
        <ErrorBox title="Which task?" error={`a playtest link needs ?env=<environment name>&task=<task index>, got ?env=${String(env ?? "")}&task=${String(task ?? "")}`} />
      </div>
    );
  }
  return <StartPlaytest environment={env} taskIdx={taskIdx} />;
}
