import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assessVerifier } from "./health-assessment.ts";
import { taskIntent } from "./task-intent.ts";

describe("taskIntent", () => {
  test("imperative tasks ask for a change", () => {
    for (const task of [
      "Create a coupon code 'SPRING20' that gives 20% off.",
      "For order ID 90517, change fulfillment status to 'fulfilled'.",
      "As a sitter, set my capacity for boarding to 2 dogs.",
      "Return the copy of 'Field Guide to Urban Birds' that I have checked out.",
      "Attempt to buy the bundle 'Starter Pack Alpha' and report what happens.",
      "Find my booking with Priya and cancel it.",
      'For my booking with "Jordan Lee", send a message asking "Can you confirm the time?"',
    ]) {
      assert.equal(taskIntent(task), "change", task);
    }
  });

  test("questions and read-only requests are questions", () => {
    for (const task of [
      "What is the total cost of the parts on ticket SC-1040? Answer in US dollars.",
      "Which branch has a copy of 'The Cartographer's Daughter' available?",
      "How many open tickets are there",
      "List all delivery orders created in the last 24 hours and return each order's status.",
      "Search for campaigns in the \"Animals\" category and return the top 5 results.",
      "For the offer named 'Crimson Strike', fetch the full preview metadata.",
      "Please show my donation history for the last 90 days.",
    ]) {
      assert.equal(taskIntent(task), "question", task);
    }
  });

  // An imported task is read at each task-status read: quotes never closed rescanned to the end from each.
  test("a task of a million unclosed quotes is read in one pass", { timeout: 10_000 }, () => {
    assert.equal(taskIntent(`Rename ${"“".repeat(1_000_000)}`), "change");
    assert.equal(taskIntent(`${"For a, ".repeat(200_000)}list the plants`), "change", "only the head is searched for leading context");
  });
});

describe("assessVerifier on (seed, seed)", () => {
  const verifier = (task: string) => ({ taskIdx: 3, mode: "code" as const, task, where: "gen_verifier.pure_code.jsonl line 4, task 3" });
  const ran = (result: string) => ({ ok: true as const, output: { result }, durationMs: 2 });

  test("complete for a change task is a warning; others is fine; complete for a question is fine", () => {
    const suspicious = assessVerifier(verifier("Cancel ticket SC-1045."), ran("complete"));
    assert.equal(suspicious.entry.status, "suspicious");
    assert.deepEqual(
      { ...suspicious.issue, message: undefined },
      { stage: "verifier", severity: "warning", where: "gen_verifier.pure_code.jsonl line 4, task 3", message: undefined, location: { tab: "verifiers", taskIdx: 3 } },
    );
    assert.equal(assessVerifier(verifier("Cancel ticket SC-1045."), ran("others")).issue, undefined);
    assert.equal(assessVerifier(verifier("What is the status of SC-1045?"), ran("complete")).entry.status, "ok");
  });

  test("a failed run is an error carrying the verifier's message", () => {
    const broken = assessVerifier(verifier("Cancel ticket SC-1045."), { ok: false, error: "NameError: name 'x' is not defined", durationMs: 1 });
    assert.equal(broken.entry.status, "broken");
    assert.equal(broken.issue?.severity, "error");
    assert.match(broken.issue?.message ?? "", /NameError: name 'x' is not defined/);
  });
});
