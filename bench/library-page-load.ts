import { chromium, type Browser } from "@playwright/test";
import { failed, measured, progress, type Measurement } from "./measurement.ts";

export const LIBRARY_READY_GOAL_MS = 1_000;
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"];

// Runs in the page before its own scripts: notes (ms since navigation start) when the Library page
// marks itself ready, which it does once its rows are rendered.
const RECORD_READY = `(() => {
  const check = () => {
    if (window.__libraryReadyAt === undefined && document.body && document.body.dataset.libraryReady === "true") {
      window.__libraryReadyAt = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-library-ready"] });
  document.addEventListener("DOMContentLoaded", check);
})()`;

async function timeOneLoad(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(RECORD_READY);
    await page.goto(url, { waitUntil: "commit" });
    const handle = await page.waitForFunction(() => (window as unknown as { __libraryReadyAt?: number }).__libraryReadyAt, undefined, { timeout: 30_000 });
    return (await handle.jsonValue()) as number;
  } finally {
    await context.close();
  }
}

/** Navigation start → `document.body.dataset.libraryReady === "true"` in a fresh context, median of `loads`. */
export async function measureLibraryPageReady(url: string, loads: number, environments: number): Promise<Measurement> {
  const name = `library_page_ready.${environments}_environments`;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
    await timeOneLoad(browser, url);
    const samples: number[] = [];
    for (let load = 1; load <= loads; load++) {
      samples.push(await timeOneLoad(browser, url));
      progress(`${name}: load ${load}/${loads} ${samples.at(-1)!.toFixed(0)} ms`);
    }
    return measured(name, samples, "ms", LIBRARY_READY_GOAL_MS, `${url}, fresh browser context per load, after one warm-up load`);
  } catch (error) {
    return failed(name, "ms", LIBRARY_READY_GOAL_MS, error);
  } finally {
    await browser?.close();
  }
}
