import type { ReactElement } from "react";
import { ErrorBox } from "./error-box";

type SearchParams = Record<string, string | string[] | undefined>;

/** A page opened from a task (`?env=NAME&task=IDX`): renders `page` for that task, or says what the link lacks. */
export function TaskLink({ searchParams, what, page }: { searchParams: SearchParams; what: string; page: (environment: string, taskIdx: number) => ReactElement }) {
  const { env, task } = searchParams;
  const taskIdx = Number(task);
  if (typeof env !== "string" || env === "" || typeof task !== "string" || !Number.isInteger(taskIdx) || taskIdx < 0) {
    return (
      <div className="page">
        <ErrorBox title="Which task?" error={`${what} link needs ?env=<environment name>&task=<task index>, got ?env=${String(env ?? "")}&task=${String(task ?? "")}`} />
      </div>
    );
  }
  return page(env, taskIdx);
}
