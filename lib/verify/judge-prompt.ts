/**
 * The LLM judge's prompt and the reading of its answer (pure functions; judge.ts makes the call).
 * Written for this studio after AWM's description of code-augmented LLM-as-a-judge: the model reads
 * the task, the whole trajectory and the evidence a verify_task function collected from the initial
 * and final databases, and classifies the run.
 */
import type { ChatMessage } from "../llm/client.ts";
import { parseModelJson } from "../llm/parse-json.ts";
import { JUDGE_CLASSES, isJudgeClass, type JudgeClass } from "../awm/verdict.ts";
import { messageOf } from "../errors.ts";

export interface JudgeStep {
  role: string;
  content?: string | null;
  toolName?: string | null;
  toolArguments?: unknown;
  toolResponse?: string | null;
  isError?: boolean;
  isFinal?: boolean;
  malformed?: boolean;
}

export interface JudgeInput {
  task: string;
  steps: JudgeStep[];
  finalAnswer?: string | null;
  evidence: unknown;
  /** verifier (default): what the task's verify_task collected; database-change: the run's diff, for a task without a verifier. */
  evidenceKind?: "verifier" | "database-change";
}

export interface JudgeAnswer {
  classification: JudgeClass;
  reasoning: string;
  confidence: Record<JudgeClass, number>;
  evidence: unknown;
}

const TOOL_RESPONSE_CHARS = 2_000;
const MESSAGE_CHARS = 4_000;
const TRAJECTORY_CHARS = 60_000;
const EVIDENCE_CHARS = 20_000;

export const JUDGE_SYSTEM_PROMPT = `You judge one run of an AI agent in a simulated application. The application's state is a SQLite database that changes only through the application's tools. A user gave the agent a task; the agent called tools, read their results and ended with a final answer.
After the run, a verification function compared the database before the run (initial) with the database after it (final) and collected evidence about what the task needed. You get the task, the full trajectory and that evidence. When the task has no verification function, you get instead every row the run inserted, deleted or updated (initial → final) as the evidence.

Classify the run as exactly one of:
- "complete": everything the task asked for is done. The database changes the task needs are present with the requested values, nothing contrary to the task was changed, and when the task asks for information the final answer gives it correctly.
- "incomplete": the agent did part of the task and stopped short: a required change is missing or has a wrong value, only some of several items were handled, or the answer is partly wrong. Real progress, but not done.
- "agent_error": the run failed through the agent's own doing: it picked wrong tools or arguments, gave up, made up results, changed things the task did not ask for, asked the user instead of acting, or claimed success that the evidence contradicts.
- "server_error": the run failed because the application failed the agent: tools answered with server errors (HTTP 5xx, tracebacks, internal errors) or the tool the task needs is missing or broken, although the agent's calls were reasonable.

How to decide:
- The evidence describes the real database; the agent's own claims do not. When they disagree, believe the evidence.
- The evidence was collected by generated code and can be incomplete. Read it together with the tool results in the trajectory; if it is plainly wrong, say so in your reasoning and judge from what the trajectory shows.
- Judge the outcome, not the style: extra read-only calls are fine; a change the task did not ask for is not.
- The user is already logged in; the agent should not need to ask who they are.

Answer with one JSON object and nothing else:
{"classification": "complete" | "incomplete" | "agent_error" | "server_error",
 "reasoning": "<2 to 6 sentences: what the task needed, what happened, why this class>",
 "confidence": {"complete": <0..1>, "incomplete": <0..1>, "agent_error": <0..1>, "server_error": <0..1>},
 "evidence": ["<short facts from the evidence or the trajectory that decided it>"]}
The four confidences are your probabilities for each class and sum to 1.`;

const EVIDENCE_HEADINGS: Record<NonNullable<JudgeInput["evidenceKind"]>, string> = {
  verifier: "Verification evidence (verify_task on the initial and final databases)",
  "database-change": "Database change (this task has no verifier: every row the run inserted, deleted or updated, initial → final)",
};

export function buildJudgeMessages(input: JudgeInput): ChatMessage[] {
  const user = [
    `## Task\n${input.task}`,
    `## Trajectory (${input.steps.length} steps)\n${renderTrajectory(input.steps)}`,
    `## Final answer\n${input.finalAnswer?.trim() ? clip(input.finalAnswer.trim(), MESSAGE_CHARS) : "(the agent gave no final answer)"}`,
    `## ${EVIDENCE_HEADINGS[input.evidenceKind ?? "verifier"]}\n\`\`\`json\n${clip(JSON.stringify(input.evidence, null, 2) ?? "null", EVIDENCE_CHARS)}\n\`\`\``,
  ].join("\n\n");
  return [
    { role: "system", content: JUDGE_SYSTEM_PROMPT },
    { role: "user", content: user },
  ];
}

function renderTrajectory(steps: JudgeStep[]): string {
  if (steps.length === 0) return "(no steps)";
  const rendered = steps.map((step, index) => renderStep(step, index + 1));
  let total = rendered.reduce((sum, text) => sum + text.length, 0);
  if (total <= TRAJECTORY_CHARS) return rendered.join("\n");
  // Keep the start (how the agent set out) and the end (how it finished); drop the middle.
  const head: string[] = [];
  const tail: string[] = [];
  let budget = TRAJECTORY_CHARS;
  for (let i = 0, j = rendered.length - 1; i <= j && budget > 0; i++, j--) {
    head.push(rendered[i]!);
    budget -= rendered[i]!.length;
    if (j > i && budget > 0) {
      tail.unshift(rendered[j]!);
      budget -= rendered[j]!.length;
    }
  }
  total = rendered.length - head.length - tail.length;
  return [...head, `… ${total} steps omitted …`, ...tail].join("\n");
}

function renderStep(step: JudgeStep, number: number): string {
  const lines = [`[${number}] ${step.role}${step.isFinal ? " (final)" : ""}${step.malformed ? " (malformed tool call)" : ""}`];
  if (step.content?.trim()) lines.push(indent(clip(step.content.trim(), MESSAGE_CHARS)));
  if (step.toolName) lines.push(indent(`tool call: ${step.toolName}(${clip(argumentsText(step.toolArguments), MESSAGE_CHARS)})`));
  if (step.toolResponse !== undefined && step.toolResponse !== null) {
    lines.push(indent(`tool result${step.isError ? " (error)" : ""}: ${clip(step.toolResponse, TOOL_RESPONSE_CHARS)}`));
  }
  return lines.join("\n");
}

function argumentsText(args: unknown): string {
  if (args === undefined || args === null) return "";
  return typeof args === "string" ? args : JSON.stringify(args);
}

function indent(text: string): string {
  return text.replace(/^/gm, "    ");
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

const CLASS_SYNONYMS: Record<string, JudgeClass> = {
  completed: "complete",
  success: "complete",
  partial: "incomplete",
  partially_complete: "incomplete",
  agent_failure: "agent_error",
  server_failure: "server_error",
  environment_error: "server_error",
};

/** The judge's answer, or why it cannot be used (the caller keeps the raw text). */
export function readJudgeAnswer(text: string): { ok: true; answer: JudgeAnswer } | { ok: false; error: string } {
  let parsed: Record<string, unknown>;
  try {
    parsed = parseModelJson(text);
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
  const classification = normalizeClass(parsed.classification);
  if (!classification) {
    return { ok: false, error: `the judge's "classification" is ${JSON.stringify(parsed.classification) ?? "missing"}; expected one of ${JUDGE_CLASSES.join(", ")}` };
  }
  return {
    ok: true,
    answer: {
      classification,
      reasoning: typeof parsed.reasoning === "string" ? parsed.reasoning : parsed.reasoning === undefined ? "" : JSON.stringify(parsed.reasoning),
      confidence: normalizeConfidence(parsed.confidence, classification),
      evidence: parsed.evidence ?? null,
    },
  };
}

function normalizeClass(value: unknown): JudgeClass | undefined {
  if (typeof value !== "string") return undefined;
  const key = value.trim().toLowerCase().replace(/[\s-]+/g, "_");
  return isJudgeClass(key) ? key : CLASS_SYNONYMS[key];
}

/** Probabilities summing to 1 (weights or percentages are scaled); the chosen class gets 1 when the judge gave none. */
function normalizeConfidence(value: unknown, chosen: JudgeClass): Record<JudgeClass, number> {
  const raw = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  const numbers = Object.fromEntries(
    JUDGE_CLASSES.map((c) => {
      const n = typeof raw[c] === "number" ? raw[c] : typeof raw[c] === "string" ? Number(raw[c]) : 0;
      return [c, Number.isFinite(n) ? Math.max(n, 0) : 0];
    }),
  ) as Record<JudgeClass, number>;
  const sum = JUDGE_CLASSES.reduce((total, c) => total + numbers[c], 0);
  if (sum === 0) return Object.fromEntries(JUDGE_CLASSES.map((c) => [c, c === chosen ? 1 : 0])) as Record<JudgeClass, number>;
  return Object.fromEntries(JUDGE_CLASSES.map((c) => [c, Math.round((numbers[c] / sum) * 1000) / 1000])) as Record<JudgeClass, number>;
}
