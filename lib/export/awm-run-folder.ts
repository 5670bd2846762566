/**
 * Writes a studio trajectory as an AWM run folder: trajectory.json in AWM's log shape (each call an
 * assistant entry, its answer a tool entry; the final answer marked is_final), initial.db and
 * final.db, and verify.code.json / verify.sql.json from each mode's latest verdict (a judge error is none), so that
 * `import-run` reads the folder back to the same steps and verdicts. A person's review rides along
 * in trajectory.json as `tags` and `review_note`.
 */
import fs from "node:fs";
import path from "node:path";
import { boundedFileName } from "../config/file-names.ts";
import { VERIFIER_MODES } from "../awm/types.ts";
import { stringifyExactJson } from "../json/exact-json.ts";
import { RUN_FILE } from "../trajectories/run-files.ts";
import { VERIFY_FILES } from "../trajectories/run-verdicts.ts";
import type { TrajectoryRecord, VerdictView } from "../trajectories/store.ts";

/** Returns the folder written: <root>/<environment>/task_<idx | free>/<trajectory id>. */
export function writeAwmRunFolder(root: string, run: TrajectoryRecord): string {
  // The environment's name as a folder name of bounded length (a long or odd name is hashed); trajectory.json keeps it whole.
  const folder = path.join(root, boundedFileName(run.environmentName), `task_${run.taskIdx ?? "free"}`, run.id);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, RUN_FILE), stringifyExactJson(awmTrajectory(run), 2));
  if (run.initialDbFile) fs.copyFileSync(run.initialDbFile, path.join(folder, "initial.db"));
  if (run.finalDbFile) fs.copyFileSync(run.finalDbFile, path.join(folder, "final.db"));
  for (const mode of VERIFIER_MODES) {
    // A judging that failed is no verdict file: AWM's reader would take judge_error for the run's result.
    const verdict = run.verdicts.find((candidate) => candidate.mode === mode && candidate.classification !== "judge_error");
    if (verdict) fs.writeFileSync(path.join(folder, VERIFY_FILES[mode]), JSON.stringify(verifyFile(verdict), null, 2));
  }
  return folder;
}

function awmTrajectory(run: TrajectoryRecord) {
  const trajectory: Record<string, unknown>[] = [];
  run.steps.forEach((step, iteration) => {
    if (step.role === "assistant" && (step.toolName !== null || step.toolArguments !== undefined)) {
      const id = step.toolCallId ?? `call_${step.ordinal}`;
      const args = typeof step.toolArguments === "string" ? step.toolArguments : stringifyExactJson(step.toolArguments ?? {});
      trajectory.push({ iteration, role: "assistant", content: step.content, tool_calls: [{ id, name: step.toolName, arguments: args }] });
      if (!step.malformed && step.toolResponse !== null) trajectory.push({ iteration, role: "tool", tool_response: { tool_call_id: id, content: step.toolResponse } });
    } else if (step.role === "assistant") {
      trajectory.push({ iteration, role: "assistant", content: step.content, tool_calls: [], is_final: step.isFinal });
    } else if (step.role === "tool") {
      trajectory.push({ iteration, role: "tool", tool_response: { tool_call_id: step.toolCallId, content: step.toolResponse ?? "" } });
    } else {
      trajectory.push({ iteration, role: step.role, content: step.content });
    }
  });
  const review = run.tags.length > 0 || run.reviewNote ? { tags: run.tags, review_note: run.reviewNote } : {};
  return { scenario: run.environmentName, task_id: run.taskIdx, task: run.task, model: run.model, ...review, trajectory, messages: [] };
}

/** AWM's code verifier answers {"result": ...}; the judge's fields ride along under the names import reads. */
function verifyFile(verdict: VerdictView) {
  return {
    result: verdict.classification,
    classification: verdict.classification,
    reward: verdict.reward,
    reasoning: verdict.reasoning,
    confidence: verdict.confidence,
    evidence: verdict.evidence,
    ...(verdict.error && { error: verdict.error }),
  };
}
