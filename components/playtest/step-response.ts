/**
 * A recorded tool response, read back for display. Steps store what the agent would have read
 * (lib/mcp/tool-result.ts): the body's text, prefixed "HTTP <status>: " when the call failed, then
 * the environment's traceback after a 5xx.
 */
import { parseExactJson, stringifyExactJson } from "@/lib/json/exact-json";
import { splitTraceback, type EnvironmentTraceback } from "@/lib/runtime/environment-traceback";

export interface StepResponse {
  /** Parsed JSON when the text is JSON (numbers with every digit), else the text. */
  body: unknown;
  isJson: boolean;
  traceback?: EnvironmentTraceback;
}

/** The body of a recorded response, without the "HTTP <status>: " prefix (stepStatus reads that), and its traceback. */
export function readStepResponse(text: string): StepResponse {
  const { response, traceback } = splitTraceback(text);
  const bodyText = /^HTTP \d{3}: ([\s\S]*)$/.exec(response)?.[1] ?? response;
  const withTraceback = traceback ? { traceback } : {};
  try {
    return { body: parseExactJson(bodyText), isJson: true, ...withTraceback };
  } catch {
    return { body: bodyText, isJson: false, ...withTraceback };
  }
}

/** Pretty JSON for the response panel; text stays text. */
export function prettyBody(response: StepResponse): string {
  return response.isJson ? stringifyExactJson(response.body, 2) : String(response.body);
}

/** Rows a diff touches (inserted + deleted + updated, over all tables). */
export function diffRowCount(diff: { tables: Record<string, { inserted: unknown[]; deleted: unknown[]; updated: unknown[] }> } | null): number {
  return Object.values(diff?.tables ?? {}).reduce((sum, table) => sum + table.inserted.length + table.deleted.length + table.updated.length, 0);
}
