import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { realSamplesDir, skipWithoutSamples } from "../testing/samples.ts";
import { writeAwmFolder } from "./export.ts";
import { readAwmFolder } from "./read-folder.ts";
import { buildSeedDatabase } from "./seed-db.ts";
import { recordsOf, tempDir } from "../testing/awm-fixture.ts";
import { validateBundle } from "./validate.ts";

const skip = skipWithoutSamples();

let imported: ReturnType<typeof importOnce> | undefined;
const importSamples = () => (imported ??= importOnce());

async function importOnce() {
  const { bundles, errors } = readAwmFolder(realSamplesDir()!);
  const dir = tempDir("awm-samples-test-");
  return {
    errors,
    environments: new Map(
      await Promise.all(
        bundles.map(async (bundle) => {
          const seed = await buildSeedDatabase(path.join(dir, `${bundle.name}.db`), bundle.schema?.record, bundle.seed?.record);
          return [bundle.name, { bundle, seed, validation: validateBundle(bundle, seed) }] as const;
        }),
      ),
    ),
  };
}

test("the five real samples import without read errors, each complete", { skip }, async () => {
  const { errors, environments } = await importSamples();
  assert.deepEqual(errors, []);
  assert.deepEqual([...environments.keys()].sort(), ["doordash_drive_delivery_tracking", "etsy_digital_downloads", "fortnite_item_shop", "gofundme", "rover"]);
  for (const { validation } of environments.values()) {
    assert.equal(validation.counts.tasks, 10);
    assert.equal(validation.counts.verifiers, 10);
    assert.ok(validation.counts.tools > 0);
  }
});

test("real samples: etsy 1 of 138 INSERTs fails, doordash 1 of 71, the others none", { skip }, async () => {
  const { environments } = await importSamples();
  const failing = Object.fromEntries([...environments].map(([name, { seed }]) => [name, `${seed.seedFailures} of ${seed.inserts.length}`]));
  assert.deepEqual(failing, {
    etsy_digital_downloads: "1 of 138",
    doordash_drive_delivery_tracking: "1 of 71",
    gofundme: "0 of 60",
    rover: "0 of 79",
    fortnite_item_shop: "0 of 119",
  });
  const etsy = environments.get("etsy_digital_downloads")!;
  const seedIssues = etsy.validation.issues.filter((i) => i.stage === "seed");
  assert.equal(seedIssues.length, 1);
  assert.match(seedIssues[0]!.where, /^gen_sample\.jsonl line \d+, table messages, insert_statements\[\d+\]$/);
  assert.match(seedIssues[0]!.message, /syntax error/);
  assert.equal(etsy.validation.counts.seedRows, 137);
});

test("real samples: gofundme's duplicate POST /api/donation_intents route is detected", { skip }, async () => {
  const { environments } = await importSamples();
  const unreachable = [...environments].flatMap(([name, { validation }]) =>
    validation.issues.filter((i) => i.message.includes("unreachable")).map((i) => [name, i.location.operationId]),
  );
  assert.deepEqual(unreachable, [["gofundme", "create_recurring_donation_intent"]]);
  const gofundme = environments.get("gofundme")!.validation;
  assert.match(gofundme.issues.find((i) => i.message.includes("unreachable"))!.message, /^POST \/api\/donation_intents defined at line \d+ and again at line \d+; requests reach the first handler \(create_one_time_donation_intent\)/);
  assert.equal(gofundme.counts.tools, 10);
});

test("real samples survive read → write → read unchanged", { skip }, () => {
  const first = readAwmFolder(realSamplesDir()!);
  const out = tempDir("awm-samples-export-");
  writeAwmFolder(out, first.bundles);
  const second = readAwmFolder(out);
  assert.deepEqual(second.errors, []);
  assert.deepEqual(second.bundles.map(recordsOf), first.bundles.map(recordsOf));
});
