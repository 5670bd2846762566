/** The five real third-party AWM environments boot as sandboxed instances and serve their tools. */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { readAwmFolder } from "../awm/read-folder.ts";
import { buildSeedDatabase } from "../awm/seed-db.ts";
import type { AwmBundle } from "../awm/types.ts";
import { diffDatabases } from "../diff/sqlite-diff.ts";
import { realSamplesDir, skipWithoutSamples } from "../testing/samples.ts";
import { liveHosts } from "./host-pool.ts";
import type { EnvironmentInstance } from "./instance.ts";
import { runtimeTestContext } from "../testing/runtime-environments.ts";

const SAMPLE_NAMES = ["doordash_drive_delivery_tracking", "etsy_digital_downloads", "fortnite_item_shop", "gofundme", "rover"];

/** operationIds of the document, read independently of the tool catalog. */
function documentOperationIds(openapi: unknown): string[] {
  const paths = (openapi as { paths: Record<string, Record<string, { operationId?: string }>> }).paths;
  return Object.values(paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId ?? "(none)"));
}

describe("real AWM samples as instances", { skip: skipWithoutSamples() }, () => {
  const context = runtimeTestContext("awm-samples-test-");
  const instances = new Map<string, { instance: EnvironmentInstance; seedDb: string }>();

  before(async () => {
    const bundles = readAwmFolder(realSamplesDir() as string).bundles;
    const started = await Promise.all(
      bundles.map(async (bundle: AwmBundle) => {
        const seedDb = path.join(context.root, `${bundle.name}.db`);
        await buildSeedDatabase(seedDb, bundle.schema?.record, bundle.seed?.record);
        const instance = await context.start(bundle.code?.record.full_code ?? "", seedDb);
        return [bundle.name, { instance, seedDb }] as const;
      }),
    );
    for (const [name, entry] of started) instances.set(name, entry);
  });
  after(() => context.cleanup());

  test("all five boot and list exactly the operations of their OpenAPI document as tools", () => {
    assert.deepEqual([...instances.keys()].sort(), SAMPLE_NAMES);
    for (const [name, { instance }] of instances) {
      assert.equal(instance.status, "running", name);
      const expected = documentOperationIds(instance.openapi()).sort();
      assert.ok(expected.length >= 10, `${name} has ${expected.length} operations`);
      assert.deepEqual(instance.tools().map((tool) => tool.name).sort(), expected, name);
      assert.doesNotMatch(JSON.stringify(instance.tools().map((tool) => tool.inputSchema)), /\$ref/, name);
    }
    // Nothing in real code trips the checks that fall back to an import per episode.
    assert.deepEqual(liveHosts().filter((host) => !host.forkable).map((host) => host.why), [], "every sample's episodes are forks of one import");
  });

  test("gofundme: the recurring-donation tool is listed but runs the earlier one-time handler", async () => {
    const entry = instances.get("gofundme");
    assert.ok(entry);
    const { instance, seedDb } = entry;
    const names = instance.tools().map((tool) => tool.name);
    assert.ok(names.includes("create_recurring_donation_intent"));
    assert.ok(!names.includes("create_one_time_donation_intent"));

    const seed = new Database(seedDb, { readonly: true });
    const campaign = seed.prepare("SELECT id, title FROM campaigns ORDER BY id LIMIT 1").get() as { id: number; title: string };
    seed.close();
    const answer = await instance.callTool("create_recurring_donation_intent", {
      campaign_title: campaign.title,
      donor_name: "Test Donor",
      amount_usd: 20,
      is_anonymous: false,
      start_date: "2026-03-01",
      interval_unit: "month",
      interval_count: 1,
    });
    assert.equal(answer.ok, true, JSON.stringify(answer.body));
    // The one-time handler answers: kind one_time and none of the recurring fields.
    assert.equal((answer.body as { kind: string }).kind, "one_time");
    assert.equal("start_date" in (answer.body as object), false);

    const diff = await diffDatabases(seedDb, await instance.snapshot(path.join(context.root, "gofundme-after.db")));
    assert.deepEqual(Object.keys(diff.tables), ["donation_intents"]);
    const [row] = diff.tables.donation_intents?.inserted ?? [];
    assert.equal(diff.tables.donation_intents?.inserted.length, 1);
    assert.deepEqual(
      [row?.campaign_id, row?.donor_name, row?.kind, row?.amount_cents, row?.start_date, row?.interval_unit, row?.interval_count],
      [campaign.id, "Test Donor", "one_time", 2000, null, null, null],
    );

    await instance.reset();
    assert.deepEqual((await diffDatabases(seedDb, await instance.snapshot(path.join(context.root, "gofundme-reset.db")))).tables, {});
  });
});
