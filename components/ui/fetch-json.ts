import { readSse, type SseEvent } from "./read-sse";

/** The browser's one API client. Client-side JSON fetch that turns the route wrapper's `{ error: { message } }` into a thrown FetchError. */
export class FetchError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "FetchError";
  }
}

/**
 * A string body is JSON: the studio refuses bodies without `Content-Type: application/json`.
 * `parse` reads the answer (parseExactJson where numbers must keep every digit).
 */
export async function fetchJson<T>(url: string, init?: RequestInit, parse: (text: string) => unknown = JSON.parse): Promise<T> {
  const headers = new Headers(init?.headers);
  if (typeof init?.body === "string" && !headers.has("content-type")) headers.set("content-type", "application/json");
  const response = await fetch(url, { ...init, headers });
  const text = await response.text();
  const body: unknown = text === "" ? null : parseJson(text, url, parse);
  if (!response.ok) {
    const error = (body as { error?: { message?: string; details?: unknown } } | null)?.error;
    throw new FetchError(response.status, error?.message ?? `${url} answered HTTP ${response.status}`, error?.details);
  }
  return body as T;
}

function parseJson(text: string, url: string, parse: (text: string) => unknown): unknown {
  try {
    return parse(text);
  } catch {
    throw new FetchError(0, `${url} did not answer JSON: ${text.slice(0, 200)}`);
  }
}

/**
 * POSTs JSON to a streaming route (`sseResponse`) and reads its server-sent events as they come;
 * a refused request throws a FetchError as fetchJson does (`what` names the route when the refusal has no message).
 */
export async function postEventStream(url: string, body: unknown, onEvent: (event: SseEvent) => void, what = url): Promise<void> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok || !response.body) {
    const answer = (await response.json().catch(() => null)) as { error?: { message?: string; details?: unknown } } | null;
    throw new FetchError(response.status, answer?.error?.message ?? `${what} answered HTTP ${response.status}`, answer?.error?.details);
  }
  await readSse(response.body, onEvent);
}
