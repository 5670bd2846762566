import { readBracketed, stringLiteralValue, type CallArgument } from "./python-syntax.ts";

export interface CodeRoute {
  /** Upper case: GET, POST, ... */
  method: string;
  path: string;
  /**
   * The decorator's `operation_id`, else the function name. (FastAPI's own default id also appends
   * the path and method; AWM names tools by operation_id, so the function name is the useful stand-in.)
   */
  operationId?: string;
  functionName?: string;
  /** 1-based line of the decorator. */
  line: number;
}

const HTTP_METHODS = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];
const ROUTE_DECORATOR = /^[ \t]*@[ \t]*([A-Za-z_]\w*)[ \t]*\.[ \t]*([a-z_]+)[ \t]*\(/gm;
const APP_ASSIGNMENT = /^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*(?:fastapi[ \t]*\.[ \t]*)?FastAPI[ \t]*\(/gm;
const NEXT_FUNCTION = /^[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)/gm;

/**
 * Routes of a generated FastAPI file, read statically (the code is never run), in definition
 * order: `@app.get(...)` and its siblings, and `@app.api_route(..., methods=[...])`, on whatever
 * name holds the `FastAPI(...)` app (`app` when no assignment is found). Decorators may span
 * several lines with keyword arguments in any order. Routes whose path is not a plain string
 * literal (f-strings, variables) are left out: their path cannot be known without running the code.
 * One pass over the code: each character is read by at most one decorator's call.
 */
export function parseFastApiRoutes(code: string): CodeRoute[] {
  const apps = new Set([...code.matchAll(APP_ASSIGNMENT)].map((match) => match[1]!));
  if (apps.size === 0) apps.add("app");
  const lines = lineCounter(code);
  const routes: CodeRoute[] = [];
  // Where the last decorator's call ends: a match inside it is an argument's text, not a decorator.
  let parsedTo = 0;
  for (const match of code.matchAll(ROUTE_DECORATOR)) {
    const [whole, receiver, attribute] = match as unknown as [string, string, string];
    if (match.index < parsedTo || !apps.has(receiver) || (attribute !== "api_route" && !HTTP_METHODS.includes(attribute))) continue;
    const call = readBracketed(code, match.index + whole.length - 1);
    // A call never closed leaves the rest of the file inside its brackets (Python would not parse it):
    // no decorator follows. Reading on would scan to the end again for every match (hostile code makes that hours).
    if (!call) break;
    parsedTo = call.end;
    const path = stringLiteralValue(argument(call.items, "path", 0) ?? "");
    if (path === undefined) continue;
    NEXT_FUNCTION.lastIndex = call.end;
    const functionName = NEXT_FUNCTION.exec(code)?.[1];
    const operationIdText = argument(call.items, "operation_id");
    const operationId = (operationIdText === undefined ? undefined : stringLiteralValue(operationIdText)) ?? functionName;
    const line = lines(match.index + whole.indexOf("@"));
    for (const method of attribute === "api_route" ? apiRouteMethods(call.items) : [attribute.toUpperCase()]) {
      routes.push({ method, path, line, ...(operationId !== undefined && { operationId }), ...(functionName !== undefined && { functionName }) });
    }
  }
  return routes;
}

/** A keyword argument's source text, or the positional one at `position`. */
function argument(items: CallArgument[], name: string, position?: number): string | undefined {
  const keyword = items.find((item) => item.name === name);
  if (keyword) return keyword.value;
  return position === undefined ? undefined : items.filter((item) => item.name === undefined)[position]?.value;
}

/** `methods=[...]` of an api_route; FastAPI serves GET when it is absent. */
function apiRouteMethods(items: CallArgument[]): string[] {
  const list = argument(items, "methods");
  if (list === undefined) return ["GET"];
  const parsed = readBracketed(list, 0);
  return (parsed?.items ?? []).flatMap((item) => stringLiteralValue(item.value)?.toUpperCase() ?? []);
}

/** 1-based line of an offset; offsets must be asked for in increasing order. */
function lineCounter(code: string): (offset: number) => number {
  let line = 1;
  let scanned = 0;
  return (offset) => {
    for (; scanned < offset; scanned++) if (code.charCodeAt(scanned) === 10) line++;
    return line;
  };
}
