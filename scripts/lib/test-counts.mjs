// Reads test counts from the runners' own summaries.

/** node:test's closing summary: spec reporter ("ℹ pass 3") or TAP ("# pass 3"); the last one wins. */
export function nodeTestCounts(output) {
  const counts = { passed: 0, failed: 0, skipped: 0, found: false };
  for (const match of output.matchAll(/^(?:ℹ|#) (pass|fail|cancelled|skipped|todo) (\d+)\s*$/gm)) {
    const [, kind, value] = match;
    const n = Number(value);
    counts.found = true;
    if (kind === "pass") counts.passed = n;
    else if (kind === "fail") counts.failed = n;
    else if (kind === "cancelled") counts.cancelledFromSummary = n;
    else if (kind === "skipped") counts.skipped = n;
    else counts.todo = n;
  }
  // Cancelled tests (a file that crashed, a timeout) are failures to whoever reads the summary.
  counts.failed += counts.cancelledFromSummary ?? 0;
  counts.skipped += counts.todo ?? 0;
  return { passed: counts.passed, failed: counts.failed, skipped: counts.skipped, found: counts.found };
}

/** Playwright's JSON reporter: stats.expected / unexpected / flaky / skipped. */
export function playwrightCounts(report) {
  const stats = report?.stats ?? {};
  return {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: stats.unexpected ?? 0,
    skipped: stats.skipped ?? 0,
    found: typeof stats.expected === "number",
  };
}
