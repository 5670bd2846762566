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

interface LoadTiming {
  /** Navigation start → ready attribute. */
  ready: number;
  /** Navigation start → first byte of the HTML (server time included). */
  firstByte: number;
  /** Navigation start → DOMContentLoaded handled (scripts parsed). */
  domContentLoaded: number;
}

async function timeOneLoad(browser: Browser, target: PageReadyTarget): Promise<LoadTiming> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(recordReady(target.readyAttribute));
    await page.goto(target.url, { waitUntil: "commit" });
    const handle = await page.waitForFunction(() => (window as unknown as { __pageReadyAt?: number }).__pageReadyAt, undefined, { timeout: 30_000 });
    const ready = (await handle.jsonValue()) as number;
    const navigation = await page.evaluate(() => {
      const entry = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      return { firstByte: entry.responseStart, domContentLoaded: entry.domContentLoadedEventEnd };
    });
    return { ready, ...navigation };
  } finally {
    await context.close();
  }
}

const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Navigation start → the page's ready attribute on <body>, in a fresh context per load, median of `loads`. */
export async function measurePageReady(target: PageReadyTarget): Promise<Measurement> {
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
    await timeOneLoad(browser, target);
    const loads: LoadTiming[] = [];
    for (let load = 1; load <= target.loads; load++) {
      loads.push(await timeOneLoad(browser, target));
      progress(`${target.name}: load ${load}/${target.loads} ${loads.at(-1)!.ready.toFixed(0)} ms`);
    }
    const firstByte = medianOf(loads.map((load) => load.firstByte)).toFixed(0);
    const domContentLoaded = medianOf(loads.map((load) => load.domContentLoaded)).toFixed(0);
    return measured(
      target.name,
      loads.map((load) => load.ready),
      "ms",
      target.goalMs,
      `${target.url} until <body ${target.readyAttribute}="true">, fresh browser context per load (cold cache), after one warm-up load; medians: first byte ${firstByte} ms, DOMContentLoaded ${domContentLoaded} ms`,
    );
  } catch (error) {
    return failed(target.name, "ms", target.goalMs, error);
  } finally {
    await browser?.close();
  }
}
