import assert from "node:assert/strict";
import { test } from "node:test";
import { parseJsonText } from "./json-text.ts";

function errorPlace(text: string): [number, number, string] {
  const parsed = parseJsonText(text);
  assert.equal(parsed.ok, false, `${text} should not parse`);
  return parsed.ok ? [0, 0, ""] : [parsed.line, parsed.column, parsed.message];
}

test("invalid JSON is reported with its line and column, whatever the engine's wording", () => {
  assert.deepEqual(parseJsonText('{"a": 1}'), { ok: true, value: { a: 1 } });
  const broken = parseJsonText('{\n  "a": 1,\n  "b": }');
  assert.equal(broken.ok, false);
  if (!broken.ok) {
    assert.deepEqual([broken.line, broken.column], [3, 8]);
    assert.match(broken.message, /at line 3, column 8$/);
  }
  const cut = parseJsonText('{"a": ');
  assert.equal(cut.ok, false);
  if (!cut.ok) assert.deepEqual([cut.line, cut.column], [1, 7]);
});

test("the usual hand-editing slips are placed exactly", () => {
  assert.deepEqual(errorPlace('{"a": 1,}').slice(0, 2), [1, 9], "trailing comma: the } where a name was expected");
  assert.match(errorPlace('{"a": 1,}')[2], /expected a property name/);
  assert.deepEqual(errorPlace("{'a': 1}").slice(0, 2), [1, 2], "single quotes");
  assert.deepEqual(errorPlace('{"a": tru}').slice(0, 2), [1, 10]);
  assert.deepEqual(errorPlace('{"a": "x\\q"}').slice(0, 2), [1, 10], "unknown escape");
  assert.deepEqual(errorPlace('[1, 2] 3').slice(0, 2), [1, 8], "text after the value");
  assert.deepEqual(parseJsonText('{"a": [1, -2.5e3, "\\u00e9", null, true]}'), { ok: true, value: { a: [1, -2500, "é", null, true] } });
});
