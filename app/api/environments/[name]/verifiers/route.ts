import { route } from "@/lib/http/handler";
import { loadEnvironment } from "@/lib/store/load-environment";

export const dynamic = "force-dynamic";

/** The tasks and every current verifier (any mode), each with the task text it was written for. */
export const GET = route({}, async (_input, { params }) => {
  const { tasks, verifiers } = (await loadEnvironment(params.name ?? "", { artifacts: ["tasks", "verifiers"] })).artifacts;
  return {
    tasks: tasks?.record.tasks ?? [],
    verifiers: verifiers.map((verifier) => ({
      key: verifier.key,
      mode: verifier.mode,
      taskIdx: verifier.taskIdx,
      version: verifier.version,
      task: verifier.record.task,
      code: verifier.record.verification.code,
    })),
  };
});
