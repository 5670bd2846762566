import assert from "node:assert/strict";
import { after, test } from "node:test";
import { isLongText, type LongTextCell } from "../untrusted-db/cells.ts";
import { databasePairs } from "../testing/database-pair.ts";
import { diffDatabases } from "./sqlite-diff.ts";
import { detectCgroups } from "../runtime/cgroups.ts";

const pairs = databasePairs();
const databasePair = pairs.pair;
after(pairs.remove);

/** The bomb: every read of `b` makes a 300-million-character string. */
const BOMB = "CREATE TABLE bomb (id INTEGER PRIMARY KEY, b TEXT AS (printf('%.*c', 300000000, 'z')) VIRTUAL, n INTEGER); INSERT INTO bomb (id, n) VALUES (1, 1), (2, 2), (3, 3);";

/** Runs `work` while counting event-loop turns: a stalled studio would count none. */
async function whileCountingTicks<T>(work: () => Promise<T>): Promise<{ outcome: PromiseSettledResult<T>; ticks: number }> {
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 50);
  const [outcome] = await Promise.allSettled([work()]);
  clearInterval(ticker);
  return { outcome: outcome!, ticks };
}

const NOTES = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, 'a');";
const NOTES_UPDATE = [{ key: { id: 1 }, before: { id: 1, body: "a" }, after: { id: 1, body: "b" }, changed: ["body"] }];

test("hostile diff: the bomb table fails that one diff with its table and caps named, the studio keeps answering, its heap stays small, the next diff works", async () => {
  const bomb = databasePair(BOMB, "UPDATE bomb SET n = 9 WHERE id = 2; INSERT INTO bomb (id, n) VALUES (4, 4);");
  const normal = databasePair(NOTES, "UPDATE notes SET body = 'b';");
  // Both readers started first: the bomb's 2 s are for reading the bomb, not for starting a reader on a busy machine.
  await Promise.all([diffDatabases(normal.before, normal.after), diffDatabases(normal.before, normal.after)]);
  const heapBefore = process.memoryUsage().heapUsed;
  // Order, not time (the machine's speed is not the point): the normal diff is answered while the bomb's still runs.
  const events: string[] = [];
  const { outcome, ticks } = await whileCountingTicks(async () => {
    const bombDiff = diffDatabases(bomb.before, bomb.after, { timeoutMs: 2_000 });
    void bombDiff.catch(() => undefined).finally(() => events.push("bomb settled"));
    // Another read while the bomb holds one reader: it goes to the other one.
    assert.deepEqual((await diffDatabases(normal.before, normal.after)).tables.notes?.updated, NOTES_UPDATE);
    events.push("normal answered");
    return bombDiff;
  });
  assert.equal(outcome.status, "rejected");
  const message = (outcome as PromiseRejectedResult).reason.message as string;
  // Whichever cap it reaches first: its time, or the reader's memory (the kernel kills it; in its sandbox, bubblewrap says so by its exit code).
  assert.match(message, /^(timed out after 2 s|the database read worker was killed by (SIGKILL|signal 9 \(exit code 137\)) while running this database read) \(at: table "bomb"\)/);
  assert.match(message, /allows each read 2 s, 256 MB of JavaScript heap, 2048 MiB of memory for the whole reader and an answer of 64 MiB/);
  assert.ok(ticks >= 2, `the event loop kept turning while the bomb ran (${ticks} ticks)`);
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 64 * 1024 * 1024, "the studio's heap did not take the bomb");
  assert.deepEqual(events, ["normal answered", "bomb settled"], "a normal diff during the bomb is answered before the bomb's ends");
  assert.deepEqual((await diffDatabases(normal.before, normal.after)).tables.notes?.updated, NOTES_UPDATE);
});

test("hostile diff: a change too big to hold (40,000 rows of capped cells) marks its table unreadable fast; other tables are still diffed", async () => {
  const wide = databasePair(
    "CREATE TABLE wide (id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);",
    "INSERT INTO wide (v) SELECT printf('%.*c', 2000, 'w') FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 40000) SELECT x FROM c); INSERT INTO notes VALUES (1, 'a');",
  );
  const heapBefore = process.memoryUsage().heapUsed;
  const diff = await diffDatabases(wide.before, wide.after);
  assert.deepEqual(diff.unreadable, { wide: "the change is larger than the 32 MiB of cell text one diff may hold" });
  assert.equal(diff.tables.wide, undefined);
  assert.deepEqual(diff.tables.notes?.inserted, [{ id: 1, body: "a" }]);
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 64 * 1024 * 1024, "the studio's heap did not take the rows");
});

test("hostile diff: a long value changed past the cell cap is detected, and both sides come back truncated with their length", async () => {
  const long = "x".repeat(5_000);
  const files = databasePair(
    `CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT, title TEXT); INSERT INTO docs VALUES (1, '${long}', 'same'), (2, 'short', 'same');`,
    `UPDATE docs SET body = substr(body, 1, 4000) || 'y' || substr(body, 4002) WHERE id = 1;`,
  );
  const diff = await diffDatabases(files.before, files.after);
  const update = diff.tables.docs?.updated;
  assert.equal(update?.length, 1);
  assert.deepEqual(update[0]!.changed, ["body"]);
  const [before, afterValue] = [update[0]!.before.body, update[0]!.after.body];
  assert.ok(isLongText(before) && isLongText(afterValue), "long values come back as truncated cells");
  assert.deepEqual([(before as LongTextCell).length, (afterValue as LongTextCell).length], [5_000, 5_000]);
  assert.equal((before as LongTextCell).text, (afterValue as LongTextCell).text, "the shown parts are equal: the change is past the cap");
  assert.equal((before as LongTextCell).text.length, 2_000);
});

test("hostile diff: columns that each compute a quarter of a gigabyte stop at the reader's memory cap, not at the machine's", { skip: !detectCgroups().available && "cgroups are not writable here" }, async () => {
  const columns = [1, 2, 3, 4, 5, 6, 7, 8].map((index) => `c${index} TEXT AS (printf('%.*c', 250000000, 'q')) VIRTUAL`).join(", ");
  const hog = databasePair(`CREATE TABLE hog (id INTEGER PRIMARY KEY, n INTEGER, ${columns}); INSERT INTO hog (id, n) VALUES (1, 1);`, "UPDATE hog SET n = 2;");
  // Eight such values at once are past the 2 GiB the reader may use: the read fails, naming the cap.
  await assert.rejects(diffDatabases(hog.before, hog.after, { timeoutMs: 60_000 }), /2048 MiB of memory for the whole reader/);
  const normal = databasePair(NOTES, "UPDATE notes SET body = 'b';");
  assert.deepEqual((await diffDatabases(normal.before, normal.after)).tables.notes?.updated, NOTES_UPDATE);
});
