import type { TasksRecord } from "../../awm/types.ts";
import { asObject, outcome, readShape, stringArray, type CheckOutcome } from "./outcome.ts";

const MIN_TASK_CHARS = 25;
const MIN_TASK_WORDS = 5;
/** A task about the interface itself rather than a user's goal in the app. */
const ABOUT_THE_API = /\b(api|apis|endpoints?|openapi|http|json|sql|database|schema|tool calls?|tools? list)\b/i;

/** Why a task may not be concrete enough to build an environment for, or undefined when it looks fine. A guess: a warning, never an error. */
export function vagueTaskReason(task: string): string | undefined {
  const text = task.trim();
  if (text.length < MIN_TASK_CHARS || text.split(/\s+/).length < MIN_TASK_WORDS) return `too short (${text.length} chars); say what to do with which record`;
  if (ABOUT_THE_API.test(text)) return `talks about the API or database itself ("${ABOUT_THE_API.exec(text)![0]}"), not a user's goal`;
  if (!mentionsConcreteThing(text)) return "names no concrete entity or value (an id, a number, a quoted name, a proper noun)";
  return undefined;
}

/** A digit, a quoted string, an e-mail, or a capitalized word after the first. */
function mentionsConcreteThing(text: string): boolean {
  if (/\d/.test(text) || /["“'‘][^"”'’]{2,}["”'’]/.test(text) || /\S+@\S+/.test(text)) return true;
  return text.split(/\s+/).slice(1).some((word) => /^[A-Z][a-z]+/.test(word.replace(/^[("']/, "")) && word !== "I");
}

/**
 * K distinct tasks: shape, count and repeats fail the check. Length and concreteness are guesses
 * ("Borrow the book 'Dune'." is short and fine), so they are warnings.
 */
export function checkTasks(answer: unknown, options: { scenario: string; count: number }): CheckOutcome<TasksRecord> {
  const shape = readShape(() => stringArray(asObject(answer, "answer"), "tasks", "answer"));
  if ("error" in shape) return { passed: false, errors: [shape.error] };
  const tasks = shape.value.map((task) => task.trim());
  const errors: string[] = [];
  const warnings: string[] = [];
  if (tasks.length === 0) errors.push("the task list is empty");
  else if (tasks.length !== options.count) errors.push(`expected exactly ${options.count} tasks, got ${tasks.length}`);
  const seen = new Map<string, number>();
  tasks.forEach((task, index) => {
    if (task === "") {
      errors.push(`tasks[${index}] is empty`);
      return;
    }
    const key = task.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
    const earlier = seen.get(key);
    if (earlier !== undefined) errors.push(`tasks[${index}] repeats tasks[${earlier}]: "${task}"`);
    else seen.set(key, index);
    const reason = vagueTaskReason(task);
    if (reason) warnings.push(`tasks[${index}] "${task}": ${reason}`);
  });
  return outcome(errors, { scenario: options.scenario, tasks }, undefined, warnings);
}
