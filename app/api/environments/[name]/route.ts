import type { VerifierMode } from "@/lib/awm/types";
import { route } from "@/lib/http/handler";
import { environmentDetail, type EnvironmentDetail } from "@/lib/store/environments";
import { loadEnvironment } from "@/lib/store/load-environment";

export const dynamic = "force-dynamic";

export interface VerifierSummary {
  key: string;
  mode: VerifierMode;
  taskIdx: number;
  version: number;
  code: string;
}

export interface TaskSummary {
  idx: number;
  text: string;
  verifiers: VerifierSummary[];
}

/** What the environment page loads: the stored summary, issues, tasks and their verifiers. */
export interface EnvironmentPageData extends EnvironmentDetail {
  tasks: TaskSummary[];
  /** Verifiers whose task_idx names no task of the current task list. */
  unmatchedVerifiers: VerifierSummary[];
}

export const GET = route({}, async (_input, { params }): Promise<EnvironmentPageData> => {
  const name = params.name ?? "";
  const environment = await loadEnvironment(name, { artifacts: ["tasks", "verifiers"], issues: true });
  const { tasks, verifiers } = environment.artifacts;
  const detail = await environmentDetail(environment);
  const summaries: VerifierSummary[] = verifiers.map((v) => ({ key: v.key, mode: v.mode, taskIdx: v.taskIdx, version: v.version, code: v.record.verification?.code ?? "" }));
  const texts = tasks?.record.tasks ?? [];
  return {
    ...detail,
    tasks: texts.map((text, idx) => ({ idx, text, verifiers: summaries.filter((v) => v.taskIdx === idx) })),
    unmatchedVerifiers: summaries.filter((v) => v.taskIdx < 0 || v.taskIdx >= texts.length),
  };
});
