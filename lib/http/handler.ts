/**
 * One wrapper for every App Router route handler: input parsed with zod, output checked with zod,
 * errors mapped to an HTTP status in one place. Web-standard Request/Response only (no `next`).
 */
import type { ZodError, ZodType } from "zod";
import { readCappedText } from "./body-limits.ts";
import { isJsonContentType } from "./content-type.ts";
import { BusyError, ConflictError, DomainError, InvalidInputError, messageOf, NotFoundError, UnavailableError } from "../errors.ts";
import { HttpError } from "./http-error.ts";

export { HttpError };

export interface ErrorBody {
  error: { message: string; details?: unknown };
}

/** The route's path segments: checked by the route's `params` schema when it has one. */
export interface RouteContext<P = Record<string, string>> {
  params: P;
  request: Request;
}

/** What Next passes as the second argument; `params` is a promise since Next 15. */
export interface NextRouteArg {
  params: Promise<Record<string, string | string[] | undefined>>;
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/**
 * `params` validates the path segments (`[id]`, `[name]`…) the way `input` validates the query or
 * body: a segment that does not fit is refused as invalid input (400) before `fn` runs.
 */
export function route<I = undefined, O = unknown, P = Record<string, string>>(
  opts: { input?: ZodType<I>; output?: ZodType<O>; params?: ZodType<P> },
  fn: (input: I, ctx: RouteContext<P>) => Promise<O | Response>,
): (request: Request, arg: NextRouteArg) => Promise<Response> {
  return async (request, arg) => {
    try {
      const flat = flattenParams(await arg.params);
      const params = opts.params ? parseParams(opts.params, flat) : (flat as P);
      const input = opts.input ? await parseInput(opts.input, request) : (undefined as I);
      const result = await fn(input, { params, request });
      if (result instanceof Response) return result;
      const body = opts.output ? opts.output.parse(result) : result;
      return Response.json(body ?? null);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

function parseParams<P>(schema: ZodType<P>, params: Record<string, string>): P {
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new InvalidInputError(describeZodError(parsed.error), parsed.error.issues);
  return parsed.data;
}

async function parseInput<I>(schema: ZodType<I>, request: Request): Promise<I> {
  const raw = BODY_METHODS.has(request.method) ? await readJsonBody(request) : searchParamsObject(request);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(describeZodError(parsed.error), parsed.error.issues);
  return parsed.data;
}

/**
 * The request's JSON body ({} when empty), read no further than the JSON body cap. A body needs
 * `Content-Type: application/json`: a cross-site page can send text/plain without a preflight.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const declaredJson = isJsonContentType(request.headers.get("content-type"));
  if (!declaredJson && request.body === null) return {};
  const text = await readCappedText(request);
  if (text.trim() === "") return {};
  if (!declaredJson) throw unsupportedMediaType(request.headers.get("content-type"));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`request body is not JSON: ${messageOf(error)}`);
  }
}

function unsupportedMediaType(contentType: string | null): HttpError {
  return new HttpError(415, `request body refused: send JSON with Content-Type: application/json (got ${contentType ? `"${contentType}"` : "no Content-Type"})`);
}

function searchParamsObject(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}

function flattenParams(params: Record<string, string | string[] | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join("/") : value;
  }
  return out;
}

/** "folder: Invalid input: expected string, received undefined; limit: Too big" */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

export function errorResponse(error: unknown): Response {
  const { status, body } = errorBody(error);
  return Response.json(body, { status });
}

export function errorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof DomainError || error instanceof HttpError) {
    return { status: statusOf(error), body: { error: withDetails(error.message, error.details) } };
  }
  const message = messageOf(error);
  const stack = process.env.NODE_ENV === "development" && error instanceof Error ? error.stack : undefined;
  return { status: 500, body: { error: withDetails(message, stack === undefined ? undefined : { stack }) } };
}

/** Each domain error's status; HttpError (the HTTP layer's own 413/415, and code not yet converted) carries its own. */
function statusOf(error: DomainError | HttpError): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof InvalidInputError) return 400;
  if (error instanceof BusyError) return 429;
  if (error instanceof UnavailableError) return 503;
  return 500;
}

function withDetails(message: string, details: unknown): ErrorBody["error"] {
  return details === undefined ? { message } : { message, details };
}

export type SendEvent = (event: string, data: unknown) => void;

/**
 * A server-sent events response: `run` sends named JSON events; a throw becomes a final `error`
 * event carrying the same `{ message, details? }` as an error response, and the stream closes.
 */
export function sseResponse(run: (send: SendEvent, gone: AbortSignal) => Promise<void>): Response {
  const encoder = new TextEncoder();
  // Once the client has gone, `gone` aborts and events are dropped: the work goes on or stops, as it chooses, never fails for want of a reader.
  const left = new AbortController();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send: SendEvent = (event, data) => {
        if (!left.signal.aborted) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      try {
        await run(send, left.signal);
      } catch (error) {
        send("error", errorBody(error).body.error);
      }
      if (!left.signal.aborted) controller.close();
    },
    cancel() {
      left.abort();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
}
