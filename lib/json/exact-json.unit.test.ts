import assert from "node:assert/strict";
import { test } from "node:test";
import { approximate, ExactNumber, exactInteger, integerDigits, parseExactJson, sameNumber, stringifyExactJson } from "./exact-json.ts";

test("numbers a double cannot hold survive parse and stringify with every digit", () => {
  const text = '{"id":9007199254740993,"big":1e+23,"float":1.0,"small":42,"half":0.5,"list":[-12345678901234567890,"9007199254740993"]}';
  const value = parseExactJson(text) as Record<string, unknown>;
  assert.deepEqual(value.id, new ExactNumber("9007199254740993"));
  assert.deepEqual(value.big, new ExactNumber("1e+23"));
  assert.deepEqual(value.float, new ExactNumber("1.0"));
  assert.equal(value.small, 42);
  assert.equal(value.half, 0.5);
  assert.equal(stringifyExactJson(value), text);
  // Plain JSON loses what this keeps.
  assert.notEqual(JSON.stringify(JSON.parse(text)), text);
});

test("stringify indents like JSON.stringify and skips undefined properties", () => {
  const value = { a: [1, { b: "x" }], c: undefined, d: {}, e: [] };
  assert.equal(stringifyExactJson(value, 2), JSON.stringify(value, null, 2));
  assert.equal(stringifyExactJson({ n: new ExactNumber("9007199254740993") }, 2), '{\n  "n": 9007199254740993\n}');
});

test("a syntax error is JSON.parse's own, and __proto__ stays a plain key", () => {
  assert.throws(() => parseExactJson('{"a": }'), SyntaxError);
  const value = parseExactJson('{"__proto__": {"x": 1}}') as Record<string, unknown>;
  assert.deepEqual(Object.keys(value), ["__proto__"]);
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

test("integerDigits writes out the integer a literal denotes, exactly, or refuses", () => {
  assert.equal(integerDigits("9007199254740993"), "9007199254740993");
  assert.equal(integerDigits("1e+23"), "100000000000000000000000");
  assert.equal(integerDigits("-2.50e1"), "-25");
  assert.equal(integerDigits("1200e-2"), "12");
  assert.equal(integerDigits("007"), undefined); // not a JSON number
  assert.equal(integerDigits("1.5"), undefined);
  assert.equal(integerDigits("1e-3"), undefined);
  assert.equal(integerDigits("abc"), undefined);
  assert.equal(integerDigits("1e5000"), undefined); // longer than Python turns into an int
  assert.equal(integerDigits("-0"), "0");
});

test("exactInteger is a plain number while safe, ExactNumber beyond", () => {
  assert.equal(exactInteger("42"), 42);
  assert.deepEqual(exactInteger("9007199254740993"), new ExactNumber("9007199254740993"));
  assert.deepEqual(exactInteger("1e+23"), new ExactNumber("100000000000000000000000"));
  assert.equal(exactInteger("4.5"), undefined);
});

test("approximate and sameNumber", () => {
  assert.deepEqual(approximate({ a: [new ExactNumber("1e+23")] }), { a: [1e23] });
  assert.ok(sameNumber(5, new ExactNumber("5")));
  assert.ok(sameNumber(new ExactNumber("9007199254740993"), new ExactNumber("9007199254740993")));
  assert.ok(!sameNumber(new ExactNumber("9007199254740993"), 9007199254740992));
  assert.ok(!sameNumber("5", 5));
});
