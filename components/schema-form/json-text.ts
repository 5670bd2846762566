/** JSON text for the form's JSON view: parse errors carry their line and column. */
import { messageOf } from "@/lib/errors";

export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string; offset: number; line: number; column: number };

/**
 * JSON.parse, and on failure the place of the first error as line and column (1-based). Engines word
 * (and place) parse errors differently, so the place comes from our own scan of the text.
 */
export function parseJsonText(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const found = findJsonError(text) ?? { offset: text.length, reason: messageOf(error) };
    const { line, column } = lineColumnOf(text, found.offset);
    return { ok: false, message: `${found.reason} at line ${line}, column ${column}`, offset: found.offset, line, column };
  }
}

/** The first syntax error of `text` as JSON: where, and what was expected there. */
export function findJsonError(text: string): { offset: number; reason: string } | undefined {
  let at = 0;
  const fail = (reason: string): never => {
    throw { offset: at, reason: at >= text.length ? `unexpected end of input: ${reason}` : `unexpected ${JSON.stringify(text[at])}: ${reason}` };
  };
  const space = () => {
    while (at < text.length && " \t\n\r".includes(text[at] as string)) at++;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text[at] !== char) fail(`expected ${word}`);
      at++;
    }
  };
  const string = () => {
    at++;
    while (at < text.length && text[at] !== '"') {
      const char = text[at] as string;
      if (char < " ") fail("control character inside a string");
      if (char === "\\") {
        at++;
        if (text[at] === "u") {
          at++;
          for (let i = 0; i < 4; i++, at++) if (!/[0-9a-fA-F]/.test(text[at] ?? "")) fail("expected 4 hex digits after \\u");
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[at] ?? "x")) fail("unknown escape");
      }
      at++;
    }
    if (at >= text.length) fail('expected " to close the string');
    at++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (!match) return fail("expected a value");
    at += match[0].length;
  };
  const value = (): void => {
    space();
    const char = text[at];
    if (char === "{") {
      at++;
      space();
      if (text[at] === "}") return void at++;
      for (;;) {
        space();
        if (text[at] !== '"') fail("expected a property name in double quotes");
        string();
        space();
        if (text[at] !== ":") fail("expected : after the property name");
        at++;
        value();
        space();
        if (text[at] === ",") at++;
        else if (text[at] === "}") return void at++;
        else fail("expected , or }");
      }
    }
    if (char === "[") {
      at++;
      space();
      if (text[at] === "]") return void at++;
      for (;;) {
        value();
        space();
        if (text[at] === ",") at++;
        else if (text[at] === "]") return void at++;
        else fail("expected , or ]");
      }
    }
    if (char === '"') return string();
    if (char === "t") return literal("true");
    if (char === "f") return literal("false");
    if (char === "n") return literal("null");
    return number();
  };
  try {
    value();
    space();
    if (at < text.length) fail("expected the end of the text");
    return undefined;
  } catch (error) {
    return error as { offset: number; reason: string };
  }
}

export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
