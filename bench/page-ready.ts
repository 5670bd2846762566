import { chromium, type Browser } from "@playwright/test";
import { failed, measured, progress, type Measurement } from "./measurement.ts";

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"];

export interface PageLoadTarget {
  /** Figure names are `<name>_rendered` and `<name>_interactive`. */
  name: string;
  url: string;
  /** An element that is there once the page's content is (server-rendered or client-rendered). */
  contentSelector: string;
  /** The `data-*` attribute the page sets to "true" on <body> once hydrated, e.g. "data-library-ready". */
  readyAttribute: string;
  loads: number;
  /** Which moment the goal is about: the content on screen, or the page answering input. */
  goal: { on: "rendered" | "interactive"; ms: number };
}

// Runs in the page before its own scripts, noting (ms since navigation start) the first frame after
// the content element is in the DOM, and when the page marks itself hydrated on <body>.
const recordMoments = (selector: string, attribute: string) => `(() => {
  const check = () => {
    if (window.__renderedAt === undefined && document.querySelector(${JSON.stringify(selector)})) {
      window.__renderedAt = -1;
      requestAnimationFrame(() => { window.__renderedAt = performance.now(); });
    }
    if (window.__interactiveAt === undefined && document.body && document.body.getAttribute(${JSON.stringify(attribute)}) === "true") {
      window.__interactiveAt = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: [${JSON.stringify(attribute)}] });
  document.addEventListener("DOMContentLoaded", check);
})()`;

interface LoadTiming {
  /** Navigation start → the frame after the content element appeared. */
  rendered: number;
  /** Navigation start → the ready attribute (hydrated, answers input). */
  interactive: number;
  /** Navigation start → first byte of the HTML (server time included). */
  firstByte: number;
  /** Navigation start → DOMContentLoaded handled (scripts parsed). */
  domContentLoaded: number;
}

async function timeOneLoad(browser: Browser, target: PageLoadTarget): Promise<LoadTiming> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(recordMoments(target.contentSelector, target.readyAttribute));
    await page.goto(target.url, { waitUntil: "commit" });
    await page.waitForFunction(
      () => {
        const moments = window as unknown as { __renderedAt?: number; __interactiveAt?: number };
        return (moments.__renderedAt ?? -1) > 0 && moments.__interactiveAt !== undefined;
      },
      undefined,
      { timeout: 30_000 },
    );
    return await page.evaluate(() => {
      const moments = window as unknown as { __renderedAt: number; __interactiveAt: number };
      const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      return {
        rendered: moments.__renderedAt,
        interactive: moments.__interactiveAt,
        firstByte: navigation.responseStart,
        domContentLoaded: navigation.domContentLoadedEventEnd,
      };
    });
  } finally {
    await context.close();
  }
}

const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * Loads the page in a fresh browser context each time (cold cache), after one warm-up load, and
 * reports the medians of two moments: its content on screen, and the page hydrated.
 */
export async function measurePageLoad(target: PageLoadTarget): Promise<Measurement[]> {
  const goalFor = (moment: "rendered" | "interactive") => (target.goal.on === moment ? target.goal.ms : null);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
    await timeOneLoad(browser, target);
    const loads: LoadTiming[] = [];
    for (let load = 1; load <= target.loads; load++) {
      loads.push(await timeOneLoad(browser, target));
      const last = loads.at(-1)!;
      progress(`${target.name}: load ${load}/${target.loads} rendered ${last.rendered.toFixed(0)} ms, interactive ${last.interactive.toFixed(0)} ms`);
    }
    const context = `${target.url}, fresh browser context per load (cold cache), after one warm-up load; medians: first byte ${medianOf(loads.map((load) => load.firstByte)).toFixed(0)} ms, DOMContentLoaded ${medianOf(loads.map((load) => load.domContentLoaded)).toFixed(0)} ms`;
    return [
      measured(`${target.name}_rendered`, loads.map((load) => load.rendered), "ms", goalFor("rendered"), `first frame with ${target.contentSelector} in the DOM; ${context}`),
      measured(`${target.name}_interactive`, loads.map((load) => load.interactive), "ms", goalFor("interactive"), `until <body ${target.readyAttribute}="true"> (hydrated); ${context}`),
    ];
  } catch (error) {
    return [failed(`${target.name}_${target.goal.on}`, "ms", target.goal.ms, error)];
  } finally {
    await browser?.close();
  }
}
