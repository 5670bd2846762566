/**
 * Reads the one JSON object a model was asked for, tolerating what models wrap around it:
 * ``` fences (with or without a language), prose before or after, a <think> block.
 */
import { messageOf } from "../errors.ts";
export class ModelJsonError extends Error {
  constructor(
    message: string,
    readonly raw: string,
  ) {
    super(message);
    this.name = "ModelJsonError";
  }
}

export function parseModelJson(text: string): Record<string, unknown> {
  const cleaned = withoutThinking(text).trim();
  const candidates = [...fencedBlocks(cleaned), ...balancedObjects(cleaned)];
  let lastError = "no JSON object found";
  for (const candidate of candidates) {
    try {
      const value = JSON.parse(candidate) as unknown;
      if (typeof value !== "object" || value === null || Array.isArray(value)) lastError = "the JSON found is not an object";
      else if (nestedDeeperThan(value, MAX_DEPTH)) lastError = `the JSON found is nested deeper than ${MAX_DEPTH} levels`;
      else return value as Record<string, unknown>;
    } catch (error) {
      lastError = messageOf(error);
    }
  }
  throw new ModelJsonError(`cannot read a JSON object from the model's answer: ${lastError}`, text);
}

/** Deeper than any AWM record; what is deeper would overflow the stack of whatever walks it next (JSON.stringify). */
const MAX_DEPTH = 64;

/** Whether `value` nests arrays and objects more than `limit` deep, walked without recursion. */
function nestedDeeperThan(value: object, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [next, depth] = pending.pop()!;
    if (typeof next !== "object" || next === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(next)) if (typeof child === "object" && child !== null) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * The text without its <think>…</think> blocks (any case), in one pass: /<think>[\s\S]*?<\/think>/g
 * scans to the end from every <think> that is never closed, quadratic on a hostile answer of them.
 * An unclosed <think> and what follows it stay.
 */
function withoutThinking(text: string): string {
  const open = /<think>/gi;
  const close = /<\/think>/gi;
  let kept = "";
  let from = 0;
  for (let found = open.exec(text); found; found = open.exec(text)) {
    close.lastIndex = open.lastIndex;
    const end = close.exec(text);
    if (!end) break;
    kept += text.slice(from, found.index);
    from = close.lastIndex;
    open.lastIndex = from;
  }
  return kept + text.slice(from);
}

/**
 * What each ``` fence holds (its language word and the whitespace after it left out), by scanning
 * for the fences: a regex with a lazy body backtracks over the language word and rescans to the end
 * from each position when a fence is never closed, quadratic on a hostile answer.
 */
function fencedBlocks(text: string): string[] {
  const blocks: string[] = [];
  for (let open = text.indexOf(FENCE); open >= 0; ) {
    let body = open + FENCE.length;
    while (body < text.length && /[a-zA-Z0-9_-]/.test(text[body]!)) body++;
    while (body < text.length && /\s/.test(text[body]!)) body++;
    const close = text.indexOf(FENCE, body);
    if (close < 0) break;
    blocks.push(text.slice(body, close).trim());
    open = text.indexOf(FENCE, close + FENCE.length);
  }
  return blocks;
}

const FENCE = "```";

/** Every top-level {...} span, found by brace matching that skips braces inside strings. */
function balancedObjects(text: string): string[] {
  const spans: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === "\\") escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"' && depth > 0) inString = true;
    else if (char === "{") {
      if (depth === 0) start = i;
      depth++;
    } else if (char === "}" && depth > 0) {
      depth--;
      if (depth === 0) spans.push(text.slice(start, i + 1));
    }
  }
  // The largest object first: the answer, rather than an example nested in prose.
  return spans.sort((a, b) => b.length - a.length);
}
