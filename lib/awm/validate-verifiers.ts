import { issue, whereIn } from "./issue.ts";
import type { AwmBundle, ValidationIssue, VerifierMode } from "./types.ts";

/** The entry point each verifier mode must define (AWM calls it by name). */
const ENTRY_POINTS: Record<VerifierMode, { name: string; pattern: RegExp }> = {
  code: { name: "verify_task_completion", pattern: /^[ \t]*(?:async[ \t]+)?def[ \t]+verify_task_completion[ \t]*\(/m },
  sql: { name: "verify_task", pattern: /^[ \t]*(?:async[ \t]+)?def[ \t]+verify_task[ \t]*\(/m },
};

/** Tasks, and how verifiers line up with them. */
export function validateTasksAndVerifiers(bundle: AwmBundle): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const tasks = bundle.tasks?.record.tasks;
  if (!bundle.tasks) issues.push(issue("tasks", "error", "gen_tasks.jsonl", `No tasks for scenario "${bundle.name}"`, { tab: "tasks" }));
  else if (tasks?.length === 0) issues.push(issue("tasks", "error", whereIn(bundle.tasks), "The task list is empty", { tab: "tasks" }));

  if (bundle.verifiers.length === 0) {
    issues.push(issue("verifier", "error", "gen_verifier.pure_code.jsonl / gen_verifier.jsonl", `No verifiers for scenario "${bundle.name}": no task can be rewarded`, { tab: "verifiers" }));
  } else if (tasks) {
    const verified = new Set(bundle.verifiers.map((verifier) => verifier.record.task_idx));
    tasks.forEach((_, taskIdx) => {
      if (!verified.has(taskIdx)) issues.push(issue("verifier", "warning", whereIn(bundle.tasks!, `tasks[${taskIdx}]`), `Task ${taskIdx} has no verifier`, { tab: "tasks", taskIdx }));
    });
  }

  for (const verifier of bundle.verifiers) {
    const { task_idx: taskIdx, task, mode, verification } = verifier.record;
    const where = whereIn(verifier, `task_idx ${taskIdx}`);
    const location = { tab: "verifiers" as const, taskIdx };
    if (tasks && taskIdx >= tasks.length) {
      issues.push(issue("verifier", "error", where, `task_idx ${taskIdx} has no task (gen_tasks.jsonl lists ${tasks.length})`, location));
    } else if (tasks && tasks[taskIdx] !== task) {
      issues.push(issue("verifier", "warning", where, `The verifier's task text differs from task ${taskIdx} in gen_tasks.jsonl`, location));
    }
    const entry = ENTRY_POINTS[mode];
    if (!entry.pattern.test(verification.code)) {
      issues.push(issue("verifier", "error", where, `${mode}-mode verifier code does not define ${entry.name}(...)`, location));
    }
  }
  return issues;
}
