import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { realSamplesDir, skipWithoutSamples } from "../testing/samples.ts";
import { checkScenarioBatch, checkSingleScenario } from "./checks/scenario-check.ts";
import { checkSpec } from "./checks/spec-check.ts";
import { checkTasks, vagueTaskReason } from "./checks/tasks-check.ts";
import { PLANT_SWAP_ANSWERS } from "./fixtures/plant-swap-model.ts";
import { readSeedScenarios, seedSample } from "./seeds.ts";
import { Semaphore } from "./semaphore.ts";
import { CategoryBalancer, ScenarioDeduplicator } from "./similarity.ts";
import { downstreamStages, upstreamStages } from "./stages.ts";

const OWN_SEEDS = path.join(import.meta.dirname, "fixtures", "seed-scenarios.jsonl");

describe("stage graph", () => {
  test("scenario → tasks → schema → seed/spec → code → verifier", () => {
    assert.deepEqual(upstreamStages("code"), ["scenario", "tasks", "schema", "seed", "spec"]);
    assert.deepEqual(upstreamStages("seed"), ["scenario", "tasks", "schema"]);
    assert.deepEqual(downstreamStages("schema"), ["seed", "spec", "code", "verifier"]);
    assert.deepEqual(downstreamStages("seed"), ["code", "verifier"]);
    assert.deepEqual(downstreamStages("verifier"), []);
  });
});

describe("seed scenarios", () => {
  test("the project's own seed file reads, and samples rotate through it", () => {
    const seeds = readSeedScenarios(OWN_SEEDS);
    assert.equal(seeds.length, 4);
    assert.deepEqual(seedSample(seeds, 0, 2).map((seed) => seed.name), ["Neighborhood Tool Library", "Community Choir Manager"]);
    assert.deepEqual(seedSample(seeds, 1, 2).map((seed) => seed.name), ["Bike Repair Booking", "Recipe Box"]);
  });

  test("AWM's 100 real seed apps read, and the near-duplicate filter keeps every one of them", { skip: skipWithoutSamples() }, () => {
    const seeds = readSeedScenarios(path.join(realSamplesDir()!, "seed_scenario.jsonl"));
    assert.equal(seeds.length, 100);
    const dedup = new ScenarioDeduplicator([]);
    const rejected = seeds.flatMap((seed) => {
      const reason = dedup.duplicateReason(seed);
      if (!reason) dedup.add(seed);
      return reason ? [reason] : [];
    });
    assert.deepEqual(rejected, []);
  });
});

describe("scenario batch check", () => {
  const library = [{ name: "Neighborhood Tool Library", description: "Neighbors lend and borrow tools such as drills, ladders and lawn mowers, reserve them and rate each other." }];

  test("near-duplicates of the library and of the batch are left out with the reason; the rest pass", () => {
    const answer = {
      scenarios: [
        { name: "neighborhood tool-library", description: "Something else entirely.", category: "community" },
        { name: "Tool Share", description: "Neighbors lend and borrow tools such as drills, ladders and lawn mowers, reserve them and rate one another.", category: "community" },
        { name: "Aquarium Keeper", description: "Fish keepers log tanks, water tests and feeding schedules, and get reminders for filter changes.", category: "hobby" },
        { name: "Aquarium Keeper!", description: "Another aquarium log.", category: "hobby" },
      ],
    };
    const result = checkScenarioBatch(answer, { wanted: 3, dedup: new ScenarioDeduplicator(library), balancer: new CategoryBalancer(3) });
    assert.equal(result.passed, true);
    assert.deepEqual(result.record?.map((scenario) => scenario.name), ["Aquarium Keeper"]);
    assert.deepEqual(result.details.rejected.map((entry) => entry.name), ["neighborhood tool-library", "Tool Share", "Aquarium Keeper!"]);
    assert.match(result.details.rejected[0]!.reason, /normalizes to "neighborhood_tool_library"/);
    assert.match(result.details.rejected[1]!.reason, /% the same as "Neighborhood Tool Library"/);
  });

  test("categories are capped at ceil(count / categories seen)", () => {
    const scenarios = ["a", "b", "c", "d"].map((letter) => ({ name: `Shop ${letter}`, description: `${letter}${letter} unique words ${letter}1 ${letter}2 ${letter}3`, category: "commerce" }));
    scenarios.push({ name: "Trail Log", description: "hikers record routes", category: "outdoors" });
    const result = checkScenarioBatch({ scenarios }, { wanted: 4, dedup: new ScenarioDeduplicator([]), balancer: new CategoryBalancer(4) });
    assert.deepEqual(result.record?.map((scenario) => scenario.name), ["Shop a", "Shop b", "Trail Log"]);
    assert.match(result.details.rejected[0]!.reason, /category "commerce" already has 2 of at most 2/);
  });

  test("a malformed answer fails with where it is malformed; all-rejected fails with the reasons", () => {
    const malformed = checkScenarioBatch({ scenarios: [{ name: "X" }] }, { wanted: 1, dedup: new ScenarioDeduplicator([]), balancer: new CategoryBalancer(1) });
    assert.deepEqual(malformed.errors, ["scenarios[0].description must be a non-empty string, got nothing"]);
    const rejected = checkScenarioBatch({ scenarios: [{ name: "Neighborhood Tool Library", description: "x" }] }, { wanted: 1, dedup: new ScenarioDeduplicator(library), balancer: new CategoryBalancer(1) });
    assert.equal(rejected.passed, false);
    assert.match(rejected.errors.join("\n"), /every proposed scenario was rejected:\n {2}Neighborhood Tool Library: name/);
  });

  test("regenerating a scenario keeps the environment's name", () => {
    assert.equal(checkSingleScenario({ scenarios: [{ name: "Recipe Box", description: "Cooks save recipes." }] }, "recipe_box").passed, true);
    assert.match(checkSingleScenario({ scenarios: [{ name: "Recipe Vault", description: "Cooks save recipes." }] }, "recipe_box").errors[0]!, /normalizes to "recipe_vault", not the environment's name "recipe_box"/);
  });
});

describe("tasks check", () => {
  test("length and concreteness are guesses: warnings kept with a passing check; only shape, count and repeats fail", () => {
    const short = checkTasks({ tasks: ["Borrow the book 'Dune'.", "Return copy 12 of 'Dune' to the Oak Street branch."] }, { scenario: "Library", count: 2 });
    assert.deepEqual([short.passed, short.errors], [true, []]);
    assert.deepEqual(short.warnings, [`tasks[0] "Borrow the book 'Dune'.": too short (23 chars); say what to do with which record`]);
    assert.deepEqual(short.record?.tasks, ["Borrow the book 'Dune'.", "Return copy 12 of 'Dune' to the Oak Street branch."]);
    assert.deepEqual(checkTasks({ tasks: ["Borrow the book 'Dune'.", " "] }, { scenario: "Library", count: 2 }).errors, ["tasks[1] is empty"]);
    // An edit is checked against its own length: an empty list still fails.
    assert.deepEqual(checkTasks({ tasks: [] }, { scenario: "Library", count: 0 }).errors, ["the task list is empty"]);
    assert.match(checkTasks({ tasks: "Borrow Dune" }, { scenario: "Library", count: 1 }).errors[0]!, /answer\.tasks must be an array/);
  });

  test("the heuristics name why a task looks vague; repeats and a wrong count fail with the reason", () => {
    assert.equal(vagueTaskReason("Reserve the plant nicknamed 'Monty' that member Ana Lopez listed."), undefined);
    assert.equal(vagueTaskReason("Cancel order 90517 and refund it to my card."), undefined);
    assert.match(vagueTaskReason("Book a table.") ?? "", /too short/);
    assert.match(vagueTaskReason("Which endpoints let me change the status of something?") ?? "", /API or database itself/);
    assert.match(vagueTaskReason("update the status of some of my things to be done please") ?? "", /names no concrete entity/);
    const result = checkTasks({ tasks: ["Cancel order 90517 and refund it to my card.", "cancel order 90517, and refund it to my card"] }, { scenario: "Shop", count: 3 });
    assert.deepEqual(result.errors, ["expected exactly 3 tasks, got 2", 'tasks[1] repeats tasks[0]: "cancel order 90517, and refund it to my card"']);
  });
});

// A hostile answer's text: the heuristics' regexes backtracked over runs without a closing quote, an
// "@" or a "}" (80,000 characters took 8 to 24 s, blocking the studio). The test's timeout is the budget.
describe("checks on hostile text", () => {
  test("a task of a million quote openers, or of letters, is judged in one pass", { timeout: 10_000 }, () => {
    assert.match(vagueTaskReason(`please swap the plant ${"‘".repeat(1_000_000)}`) ?? "", /names no concrete entity/);
    assert.match(vagueTaskReason(`please swap the plant ${"a".repeat(1_000_000)} now`) ?? "", /names no concrete entity/);
    assert.equal(vagueTaskReason("Send the note ‘see you soon’ to the member Dana at dana@club.org"), undefined);
  });

  test("a path of a brace and a million letters is checked in one pass", { timeout: 10_000 }, () => {
    const spec = structuredClone(PLANT_SWAP_ANSWERS.spec) as { api_groups: { endpoints: Record<string, unknown>[] }[] };
    const schema = { scenario: "Plant Swap Club", db_schema: { tables: PLANT_SWAP_ANSWERS.schema.tables }, db_path: "" };
    // Letters after a "{" never closed; a run of "{" before one "}" (each rescanned to it, a review found).
    for (const path of [`/api/{${"a".repeat(1_000_000)}`, `/api/${"{".repeat(1_000_000)}}`]) {
      spec.api_groups[0]!.endpoints[0]!.path = path;
      assert.deepEqual(checkSpec(spec, { scenario: "Plant Swap Club", schema }).errors, []);
    }
  });
});

describe("spec check", () => {
  const schema = { scenario: "Plant Swap Club", db_schema: { tables: PLANT_SWAP_ANSWERS.schema.tables }, db_path: "" };

  test("the Plant Swap Club spec passes", () => {
    assert.deepEqual(checkSpec(PLANT_SWAP_ANSWERS.spec, { scenario: "Plant Swap Club", schema }).errors, []);
  });

  test("duplicate operation ids, undeclared path parameters and unknown tables are named", () => {
    const spec = structuredClone(PLANT_SWAP_ANSWERS.spec) as { api_groups: { endpoints: Record<string, unknown>[] }[] };
    const endpoints = spec.api_groups[0]!.endpoints;
    endpoints[1]!.operation_id = "list_plants";
    endpoints[2]!.request_params = {};
    endpoints[2]!.required_tables = ["plants", "swaps"];
    assert.deepEqual(checkSpec(spec, { scenario: "Plant Swap Club", schema }).errors, [
      "api_groups[0].endpoints[1] (list_plants): operation_id \"list_plants\" is already used by api_groups[0].endpoints[0] (list_plants)",
      "api_groups[0].endpoints[2] (reserve_plant): {plant_id} in /api/plants/{plant_id}/reserve is not declared as a path parameter",
      "api_groups[0].endpoints[2] (reserve_plant): required_tables not in the schema: swaps",
    ]);
  });
});

describe("semaphore", () => {
  test("never runs more than its limit, and starts waiting tasks by priority, then arrival", async () => {
    const semaphore = new Semaphore(1);
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = semaphore.run(async () => {
      started.push("first");
      await gate;
    });
    const waiting = [
      semaphore.run(async () => void started.push("low-1"), 0),
      semaphore.run(async () => void started.push("high"), 5),
      semaphore.run(async () => void started.push("low-2"), 0),
    ];
    release();
    await Promise.all([first, ...waiting]);
    assert.deepEqual(started, ["first", "high", "low-1", "low-2"]);
  });

  test("jobs' limits within the process's: each job keeps to its own, all of them together to the process's", async () => {
    const processWide = new Semaphore(4);
    const jobs = [new Semaphore(3, processWide), new Semaphore(3, processWide)];
    const running = [0, 0];
    let together = 0;
    const peaks = { jobs: [0, 0], together: 0 };
    await Promise.all(
      jobs.flatMap((job, index) =>
        Array.from({ length: 6 }, () =>
          job.run(async () => {
            running[index]!++;
            together++;
            peaks.jobs[index] = Math.max(peaks.jobs[index]!, running[index]!);
            peaks.together = Math.max(peaks.together, together);
            await new Promise((resolve) => setTimeout(resolve, 5));
            running[index]!--;
            together--;
          }),
        ),
      ),
    );
    assert.equal(peaks.together, 4);
    assert.ok(peaks.jobs.every((peak) => peak <= 3), JSON.stringify(peaks));
  });
});
