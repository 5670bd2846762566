/**
 * Just enough Python lexing to read decorator calls statically: bracket matching that respects
 * strings and comments, top-level argument splitting, and string-literal values.
 */

export interface CallArgument {
  /** Keyword name, or undefined for a positional argument. */
  name?: string;
  /** Source text of the value, comments removed. */
  value: string;
}

/**
 * Splits the bracketed text that opens at `open` ("(", "[" or "{") into its top-level items.
 * Returns undefined when the bracket is never closed (cut-off code).
 */
export function readBracketed(code: string, open: number): { items: CallArgument[]; end: number } | undefined {
  const items: CallArgument[] = [];
  let depth = 0;
  let current = "";
  const pushItem = () => {
    const text = current.trim();
    if (text) items.push(toArgument(text));
    current = "";
  };
  for (let i = open; i < code.length; i++) {
    const ch = code[i]!;
    if (ch === "#") {
      const newline = code.indexOf("\n", i);
      i = (newline === -1 ? code.length : newline) - 1;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const end = stringEnd(code, i);
      if (end === undefined) return undefined;
      current += code.slice(i, end);
      i = end - 1;
      continue;
    }
    if (ch === "(" || ch === "[" || ch === "{") {
      depth++;
      if (depth === 1) continue;
    } else if (ch === ")" || ch === "]" || ch === "}") {
      depth--;
      if (depth === 0) {
        pushItem();
        return { items, end: i + 1 };
      }
    } else if (ch === "," && depth === 1) {
      pushItem();
      continue;
    }
    current += ch;
  }
  return undefined;
}

function toArgument(text: string): CallArgument {
  const keyword = /^([A-Za-z_]\w*)\s*=(?!=)\s*/.exec(text);
  return keyword ? { name: keyword[1], value: text.slice(keyword[0].length) } : { value: text };
}

/** Index just past the string literal whose opening quote is at `start`, or undefined if unterminated. */
function stringEnd(code: string, start: number): number | undefined {
  const quote = code.startsWith(code[start]!.repeat(3), start) ? code[start]!.repeat(3) : code[start]!;
  for (let i = start + quote.length; i < code.length; i++) {
    const ch = code[i]!;
    if (ch === "\\") i++;
    else if (code.startsWith(quote, i)) return i + quote.length;
    else if (ch === "\n" && quote.length === 1) return undefined;
  }
  return undefined;
}

const LITERAL_START = /([rRuU]?|[fFbB][rR]?|[rR][fFbB])('''|"""|'|")/y;
const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "\n": "", "0": "\0", a: "\x07", b: "\b", f: "\f", v: "\v" };

/**
 * The value of an expression made only of (possibly adjacent) plain string literals, e.g.
 * `"/api/items"` or `'/a' "/b"`. Undefined for anything else, f-strings and bytes included,
 * since their value is not knowable without running the code.
 */
export function stringLiteralValue(expression: string): string | undefined {
  let value = "";
  let found = false;
  let i = 0;
  for (;;) {
    while (i < expression.length && /[\s\\]/.test(expression[i]!)) i++;
    if (i >= expression.length) return found ? value : undefined;
    LITERAL_START.lastIndex = i;
    const start = LITERAL_START.exec(expression);
    if (!start) return undefined;
    const prefix = start[1]!.toLowerCase();
    if (prefix.includes("f") || prefix.includes("b")) return undefined;
    const end = stringEnd(expression, i + prefix.length);
    if (end === undefined) return undefined;
    const body = expression.slice(i + start[0].length, end - start[2]!.length);
    value += prefix.includes("r") ? body : unescapePython(body);
    found = true;
    i = end;
  }
}

function unescapePython(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (whole, escape: string) => {
    if (escape.length > 1) return String.fromCodePoint(parseInt(escape.slice(1), 16));
    return SIMPLE_ESCAPES[escape] ?? whole;
  });
}
