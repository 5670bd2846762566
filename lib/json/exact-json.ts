/**
 * JSON whose numbers keep their exact text. JavaScript numbers are doubles, so JSON.parse turns
 * 9007199254740993 into ...992, and JSON.stringify writes 1e21 and above with an exponent, which
 * Python reads as a float. Tool arguments go through these functions instead: a number literal that
 * a double does not hold exactly stays an ExactNumber (its text), and is written back as that text.
 */

/** A JSON number kept as its literal text ("9007199254740993", "1e+23", "1.0"). */
export class ExactNumber {
  constructor(readonly text: string) {}

  /** Where a plain JSON.stringify meets one (a stored record): the nearest double. */
  toJSON(): number {
    return Number(this.text);
  }

  toString(): string {
    return this.text;
  }
}

const NUMBER_LITERAL = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const NUMBER_AT = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
/** Python refuses to turn integers longer than this into text or back (sys.int_info.default_max_str_digits). */
export const MAX_INTEGER_DIGITS = 4300;

/** A number literal as a JS number when that loses nothing (same text back, a safe integer when whole), else as an ExactNumber. */
export function numberFromLiteral(text: string): number | ExactNumber {
  const value = Number(text);
  const lossless = JSON.stringify(value) === text && (!Number.isInteger(value) || Number.isSafeInteger(value));
  return lossless ? value : new ExactNumber(text);
}

/** JSON.parse, except that numbers a double cannot hold exactly come back as ExactNumber. */
export function parseExactJson(text: string): unknown {
  JSON.parse(text); // the engine's own syntax check and error message
  let at = 0;
  const space = () => {
    while (at < text.length && " \t\n\r".includes(text[at] as string)) at++;
  };
  const string = (): string => {
    const start = at;
    at++;
    while (text[at] !== '"') at += text[at] === "\\" ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const value = (): unknown => {
    space();
    const char = text[at];
    if (char === "{") {
      at++;
      const object: Record<string, unknown> = {};
      space();
      if (text[at] === "}") return at++, object;
      for (;;) {
        space();
        const key = string();
        space();
        at++; // ":"
        Object.defineProperty(object, key, { value: value(), enumerable: true, writable: true, configurable: true });
        space();
        if (text[at++] === "}") return object;
      }
    }
    if (char === "[") {
      at++;
      const array: unknown[] = [];
      space();
      if (text[at] === "]") return at++, array;
      for (;;) {
        array.push(value());
        space();
        if (text[at++] === "]") return array;
      }
    }
    if (char === '"') return string();
    for (const [word, literal] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, at)) return (at += word.length), literal;
    }
    NUMBER_AT.lastIndex = at;
    const literal = (NUMBER_AT.exec(text) as RegExpExecArray)[0];
    at += literal.length;
    return numberFromLiteral(literal);
  };
  return value();
}

/** JSON.stringify for values that may hold ExactNumber (written as its text); `indent` as JSON.stringify's. */
export function stringifyExactJson(value: unknown, indent = 0): string {
  const write = (current: unknown, depth: number): string | undefined => {
    if (current instanceof ExactNumber) return current.text;
    if (current === null || typeof current !== "object") return JSON.stringify(current);
    const pad = indent > 0 ? "\n" + " ".repeat(indent * (depth + 1)) : "";
    const close = indent > 0 ? "\n" + " ".repeat(indent * depth) : "";
    if (Array.isArray(current)) {
      if (current.length === 0) return "[]";
      return `[${pad}${current.map((item) => write(item, depth + 1) ?? "null").join(`,${pad}`)}${close}]`;
    }
    const entries = Object.entries(current).flatMap(([key, item]) => {
      const written = write(item, depth + 1);
      return written === undefined ? [] : [`${JSON.stringify(key)}:${indent > 0 ? " " : ""}${written}`];
    });
    return entries.length === 0 ? "{}" : `{${pad}${entries.join(`,${pad}`)}${close}}`;
  };
  return write(value, 0) ?? "null";
}

/** The value with every ExactNumber replaced by its nearest double: for checks that only need the type and rough size. */
export function approximate(value: unknown): unknown {
  if (value instanceof ExactNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(approximate);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, approximate(item)]));
  return value;
}

/**
 * The integer a number's text denotes, written out in digits ("1e+23" → "100000000000000000000000",
 * "-2.50e1" → "-25"), or undefined when the text is not a number, not whole, or longer than Python
 * accepts. Exact: worked out on the digits, never through a double.
 */
export function integerDigits(text: string): string | undefined {
  const trimmed = text.trim();
  const match = NUMBER_LITERAL.exec(trimmed);
  if (!match) return undefined;
  const negative = trimmed.startsWith("-");
  const fraction = (match[2] ?? "").slice(1);
  const exponent = Number((match[3] ?? "e0").slice(1));
  let digits = (match[1] ?? "0") + fraction;
  let shift = exponent - fraction.length;
  if (shift < 0) {
    const dropped = digits.slice(shift);
    if (/[1-9]/.test(dropped)) return undefined;
    digits = digits.slice(0, shift) || "0";
    shift = 0;
  }
  digits = digits.replace(/^0+(?=\d)/, "");
  if (digits === "0") return "0";
  if (digits.length + shift > MAX_INTEGER_DIGITS) return undefined;
  return (negative ? "-" : "") + digits + "0".repeat(shift);
}

/** `integerDigits` as a value: a JS number when it is a safe integer, else an ExactNumber of the digits. */
export function exactInteger(text: string): number | ExactNumber | undefined {
  const digits = integerDigits(text);
  if (digits === undefined) return undefined;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : new ExactNumber(digits);
}

/** Same number (a double and its exact text compare by value as text). */
export function sameNumber(a: unknown, b: unknown): boolean {
  const text = (value: unknown) => (value instanceof ExactNumber ? value.text : typeof value === "number" ? JSON.stringify(value) : undefined);
  return a === b || (text(a) !== undefined && text(a) === text(b));
}

/** A JSON response whose numbers keep their digits (read it with parseExactJson). */
export function exactJsonResponse(body: unknown): Response {
  return new Response(stringifyExactJson(body), { headers: { "content-type": "application/json" } });
}
