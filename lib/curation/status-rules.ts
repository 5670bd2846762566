/**
 * Whether a task is worth training on, from the evidence gathered for it (task-status.ts). Pure.
 *
 * Stale evidence (made before the task's current artifacts) is listed but never decides. In order:
 * 1. a person's "unsolvable" mark → unsolvable (their note is the reason);
 * 2. a verifier that fails on (seed, seed) → unsolvable: it can never reward anyone; a failed run a
 *    reviewer tagged "verifier wrong" → unsolvable: the verifier fails work that does the task;
 * 3. a no-op run that passes (the verifier says complete on (seed, seed) for a task that asks for a
 *    change), a passing run that changed nothing, or a passing run a reviewer tagged "reward hacking"
 *    or "verifier wrong" → reward-hackable;
 * 4. no reference run (a passing run, or a playtest a person marked): an operation a failed run called
 *    that validation found shadowed or missing, or a 5xx answer → unsolvable; a rollout group that
 *    all failed → too-hard; otherwise unverified;
 * 5. the latest rollout group all passed → too-easy, all failed → too-hard;
 * 6. a healthy no-op run (the verifier does not reward doing nothing) → curated; else unverified.
 */
export type TaskStatus = "curated" | "unsolvable" | "reward-hackable" | "too-easy" | "too-hard" | "unverified";

export const TASK_STATUSES: readonly TaskStatus[] = ["curated", "unsolvable", "reward-hackable", "too-easy", "too-hard", "unverified"];

interface EvidenceBase {
  /** ISO time the evidence was made. */
  at: string;
  /** Made before the task's current artifacts: listed, never decisive. */
  stale: boolean;
  /** What it shows, in words. */
  summary: string;
}

export type TaskEvidence =
  | (EvidenceBase & { kind: "mark"; mark: "reference" | "unsolvable"; note: string; trajectoryId: string | null })
  | (EvidenceBase & {
      kind: "run";
      trajectoryId: string;
      source: string;
      verdict: string | null;
      reward: number | null;
      passed: boolean;
      /** A passing run of a task that asks for a change, whose recorded steps changed no row. */
      readOnly: boolean;
      /** A passing run a reviewer tagged "reward hacking" or "verifier wrong". */
      distrusted: boolean;
      /** A failed run a reviewer tagged "verifier wrong": it did the task, and the verifier failed it. */
      disputed: boolean;
    })
  | (EvidenceBase & { kind: "no-op"; mode: string; health: "ok" | "broken" | "suspicious"; detail: string })
  | (EvidenceBase & { kind: "issue"; trajectoryId: string; tool: string; stage: string; severity: string; where: string; message: string })
  | (EvidenceBase & { kind: "server-error"; trajectoryId: string; tool: string; response: string })
  | (EvidenceBase & { kind: "rollout-group"; jobId: string; n: number; successes: number });

export interface TaskStatusEntry {
  taskIdx: number;
  status: TaskStatus;
  /** Why, in one line, naming the deciding evidence. */
  reason: string;
  evidence: TaskEvidence[];
}

export interface EnvironmentTaskStatuses {
  name: string;
  tasks: TaskStatusEntry[];
}

type Of<K extends TaskEvidence["kind"]> = Extract<TaskEvidence, { kind: K }>;

export function decideStatus(evidence: TaskEvidence[]): { status: TaskStatus; reason: string } {
  const live = evidence.filter((item) => !item.stale);
  const all = <K extends TaskEvidence["kind"]>(kind: K) => live.filter((item): item is Of<K> => item.kind === kind);
  const mark = all("mark").at(-1);
  if (mark?.mark === "unsolvable") return { status: "unsolvable", reason: mark.summary };
  const noOps = all("no-op");
  const broken = noOps.find((item) => item.health === "broken") ?? all("run").find((item) => item.disputed);
  if (broken) return { status: "unsolvable", reason: broken.summary };
  const hack = noOps.find((item) => item.health === "suspicious") ?? all("run").find((item) => item.passed && (item.readOnly || item.distrusted));
  if (hack) return { status: "reward-hackable", reason: hack.summary };
  const group = all("rollout-group").filter((item) => item.n >= 2).at(-1);
  const reference = mark ?? all("run").find((item) => item.passed) ?? all("rollout-group").find((item) => item.successes > 0);
  if (!reference) {
    const blocker = all("issue")[0] ?? all("server-error")[0];
    if (blocker) return { status: "unsolvable", reason: blocker.summary };
    if (group?.successes === 0) return { status: "too-hard", reason: group.summary };
    return { status: "unverified", reason: "no run has passed its verifier yet" };
  }
  if (group && group.successes === group.n) return { status: "too-easy", reason: group.summary };
  // Solvable (the reference says so), but the agent fails it every time: said with both.
  if (group?.successes === 0) return { status: "too-hard", reason: `${group.summary}, though ${reference.summary}` };
  const healthy = noOps.find((item) => item.health === "ok");
  if (!healthy) return { status: "unverified", reason: `${reference.summary}, but the verifier has not been checked on (seed, seed)` };
  return { status: "curated", reason: `${reference.summary}; ${healthy.summary}` };
}
