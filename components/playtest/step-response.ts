/**
 * A recorded tool response, read back for display. Steps store what the agent would have read
 * (lib/mcp/tool-result.ts): the body's text, prefixed "HTTP <status>: " when the call failed.
 */
export interface StepResponse {
  status?: number;
  /** Parsed JSON when the text is JSON, else the text. */
  body: unknown;
  isJson: boolean;
}

export function readStepResponse(text: string): StepResponse {
  const failed = /^HTTP (\d{3}): ([\s\S]*)$/.exec(text);
  const bodyText = failed?.[2] ?? text;
  const status = failed?.[1] ? Number(failed[1]) : undefined;
  try {
    return { ...(status !== undefined && { status }), body: JSON.parse(bodyText) as unknown, isJson: true };
  } catch {
    return { ...(status !== undefined && { status }), body: bodyText, isJson: false };
  }
}

/** Pretty JSON for the response panel; text stays text. */
export function prettyBody(response: StepResponse): string {
  return response.isJson ? JSON.stringify(response.body, null, 2) : String(response.body);
}

/** Rows a diff touches (inserted + deleted + updated, over all tables). */
export function diffRowCount(diff: { tables: Record<string, { inserted: unknown[]; deleted: unknown[]; updated: unknown[] }> } | null): number {
  return Object.values(diff?.tables ?? {}).reduce((sum, table) => sum + table.inserted.length + table.deleted.length + table.updated.length, 0);
}
