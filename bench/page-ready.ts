import { chromium, type Browser } from "@playwright/test";
import { failed, measured, progress, type Measurement } from "./measurement.ts";

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"];

export interface PageReadyTarget {
  name: string;
  url: string;
  /** The `data-*` attribute the page sets to "true" on <body> once rendered, e.g. "data-library-ready". */
  readyAttribute: string;
  loads: number;
  goalMs: number;
}

// Runs in the page before its own scripts: notes (ms since navigation start) when the page marks
// itself ready on <body>.
const recordReady = (attribute: string) => `(() => {
  const check = () => {
    if (window.__pageReadyAt === undefined && document.body && document.body.getAttribute(${JSON.stringify(attribute)}) === "true") {
      window.__pageReadyAt = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: [${JSON.stringify(attribute)}] });
  document.addEventListener("DOMContentLoaded", check);
})()`;

async function timeOneLoad(browser: Browser, target: PageReadyTarget): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(recordReady(target.readyAttribute));
    await page.goto(target.url, { waitUntil: "commit" });
    const handle = await page.waitForFunction(() => (window as unknown as { __pageReadyAt?: number }).__pageReadyAt, undefined, { timeout: 30_000 });
    return (await handle.jsonValue()) as number;
  } finally {
    await context.close();
  }
}

/** Navigation start → the page's ready attribute on <body>, in a fresh context per load, median of `loads`. */
export async function measurePageReady(target: PageReadyTarget): Promise<Measurement> {
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
    await timeOneLoad(browser, target);
    const samples: number[] = [];
    for (let load = 1; load <= target.loads; load++) {
      samples.push(await timeOneLoad(browser, target));
      progress(`${target.name}: load ${load}/${target.loads} ${samples.at(-1)!.toFixed(0)} ms`);
    }
    return measured(target.name, samples, "ms", target.goalMs, `${target.url} until <body ${target.readyAttribute}="true">, fresh browser context per load, after one warm-up load`);
  } catch (error) {
    return failed(target.name, "ms", target.goalMs, error);
  } finally {
    await browser?.close();
  }
}
