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
  if (/\d/.test(text) || hasQuotedName(text) || /\S@\S/.test(text)) return true;
  return text.split(/\s+/).slice(1).some((word) => /^[A-Z][a-z]+/.test(word.replace(/^[("']/, "")) && word !== "I");
}

const QUOTE_OPENERS = new Set(['"', "“", "'", "‘"]);
const QUOTE_CLOSERS = new Set(['"', "”", "'", "’"]);

/**
 * Whether some quote opens, then two or more characters that close none, then one closes (the test
 * /["“'‘][^"”'’]{2,}["”'’]/), in one scan: the regex backtracked from every opener to the end of a
 * run without a closer, quadratic on a hostile task of openers. Between two closers, the earliest
 * opener is the one that can enclose the most: the closer before the run, when it is " or ', or
 * the first “ or ‘ inside it.
 */
function hasQuotedName(text: string): boolean {
  let earliestOpener = -1;
  for (let at = 0; at < text.length; at++) {
    const char = text[at]!;
    if (QUOTE_CLOSERS.has(char)) {
      if (earliestOpener >= 0 && at - earliestOpener - 1 >= 2) return true;
      earliestOpener = QUOTE_OPENERS.has(char) ? at : -1;
    } else if (QUOTE_OPENERS.has(char) && earliestOpener < 0) {
      earliestOpener = at;
    }
  }
  return false;
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
