import { readStudioToken, studioTokenFile } from "../../lib/http/studio-token.ts";

/**
 * What the browser tests know about the studio under test. playwright.config.ts sets these variables
 * once in the runner process; workers inherit them.
 */

/** The production server Playwright started (also the config's baseURL, so `page.goto("/")` works). */
export function studioBaseUrl(): string {
  const port = process.env.AWM_E2E_PORT;
  if (!port) throw new Error("AWM_E2E_PORT is not set: run the browser tests through playwright.config.ts");
  return `http://127.0.0.1:${port}`;
}

/** The temp AWM_STUDIO_HOME the server uses, for tests that inspect what it wrote. */
export function studioHomeUnderTest(): string {
  const home = process.env.AWM_E2E_HOME;
  if (!home) throw new Error("AWM_E2E_HOME is not set: run the browser tests through playwright.config.ts");
  return home;
}

/** Whether the five real AWM samples were imported next to the starter library. */
export function realSamplesImported(): boolean {
  return Boolean(process.env.AWM_E2E_SAMPLES_DIR);
}

/** For `test.skip(!realSamplesImported(), REAL_SAMPLES_SKIP_REASON)`. */
export const REAL_SAMPLES_SKIP_REASON = "real AWM samples not found (set AWM_SAMPLES_DIR), so they were not imported";

/** The studio's access token, for bearer headers (MCP clients) and the token URL. */
export function studioToken(): string {
  const token = readStudioToken(studioTokenFile(studioHomeUnderTest()));
  if (!token) throw new Error(`no studio token in ${studioHomeUnderTest()}: playwright.config.ts makes it before the server starts`);
  return token;
}

export function bearerHeaders(): Record<string, string> {
  return { authorization: `Bearer ${studioToken()}` };
}
