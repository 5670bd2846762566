/**
 * The environment's traceback for a call it failed with HTTP 500. The launcher answers an exception
 * the code left unhandled with JSON {"detail", "traceback", "traceback_length"}: the traceback's
 * innermost characters (64 KiB at most) and its full length. Recorded steps keep it in the response
 * text, after the response and a heading line (what an MCP client reads); pages show it apart.
 * No Node imports: the step components read it too.
 */

export interface EnvironmentTraceback {
  /** The traceback's end (its innermost frames and the exception), whole when `text.length === length`. */
  text: string;
  /** Characters of the whole traceback. */
  length: number;
}

/** The body without the launcher's traceback fields, and the traceback when the body carries one. */
export function takeTraceback(body: unknown): { body: unknown; traceback?: EnvironmentTraceback } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { body };
  const { traceback, traceback_length: length, ...rest } = body as Record<string, unknown>;
  if (typeof traceback !== "string" || typeof length !== "number") return { body };
  return { body: rest, traceback: { text: traceback, length } };
}

export function isTruncated(traceback: EnvironmentTraceback): boolean {
  return traceback.text.length < traceback.length;
}

const HEADING = /\n--- the environment's traceback \((?:last \d+ of )?(\d+) chars\) ---\n/;

/** `response`, then the heading line and the traceback. */
export function appendTraceback(response: string, traceback: EnvironmentTraceback): string {
  const size = isTruncated(traceback) ? `last ${traceback.text.length} of ${traceback.length}` : `${traceback.length}`;
  return `${response}\n--- the environment's traceback (${size} chars) ---\n${traceback.text}`;
}

/** Reads back what `appendTraceback` wrote after an "HTTP 5xx: " response; other text is returned as it is. */
export function splitTraceback(text: string): { response: string; traceback?: EnvironmentTraceback } {
  const heading = /^HTTP 5\d\d: /.test(text) ? HEADING.exec(text) : null;
  if (!heading) return { response: text };
  return {
    response: text.slice(0, heading.index),
    traceback: { text: text.slice(heading.index + heading[0].length), length: Number(heading[1]) },
  };
}
