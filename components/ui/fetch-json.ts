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

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const text = await response.text();
  const body: unknown = text === "" ? null : parseJson(text, url);
  if (!response.ok) {
    const error = (body as { error?: { message?: string; details?: unknown } } | null)?.error;
    throw new FetchError(response.status, error?.message ?? `${url} answered HTTP ${response.status}`, error?.details);
  }
  return body as T;
}

function parseJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FetchError(0, `${url} did not answer JSON: ${text.slice(0, 200)}`);
  }
}
