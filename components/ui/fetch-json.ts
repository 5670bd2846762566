/** Client-side JSON fetch that turns the route wrapper's `{ error: { message } }` into a thrown FetchError. */
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
