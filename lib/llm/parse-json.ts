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
      if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
      lastError = "the JSON found is not an object";
    } catch (error) {
      lastError = messageOf(error);
    }
  }
  throw new ModelJsonError(`cannot read a JSON object from the model's answer: ${lastError}`, text);
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

function fencedBlocks(text: string): string[] {
  return [...text.matchAll(/```[a-zA-Z0-9_-]*\s*\n?([\s\S]*?)```/g)].map((match) => match[1]!.trim());
}

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
