import type { TasksRecord } from "@/lib/awm/types";
import { route } from "@/lib/http/handler";
import { requireEnvironment } from "@/lib/store/environments";
import { currentArtifact, currentVerifiers } from "@/lib/store/artifacts";

export const dynamic = "force-dynamic";

/** The tasks and every current verifier (any mode), each with the task text it was written for. */
export const GET = route({}, async (_input, { params }) => {
  const environment = await requireEnvironment(params.name ?? "");
  const [tasks, verifiers] = await Promise.all([
    currentArtifact<TasksRecord>(environment.id, "tasks"),
    currentVerifiers(environment.id),
  ]);
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
