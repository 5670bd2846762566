import assert from "node:assert/strict";
import { test } from "node:test";
import { ExactNumber, parseExactJson, stringifyExactJson } from "../../lib/json/exact-json.ts";
import {
  buildFieldModel,
  canonicalIntegers,
  emptyValue,
  initialArguments,
  matchVariant,
  parseNumberText,
  placeholderFor,
  validateValue,
  withExamples,
  type ArrayField,
  type FieldModel,
  type ObjectField,
  type UnionField,
} from "./model.ts";

function property(model: FieldModel, name: string): FieldModel {
  assert.equal(model.kind, "object");
  const found = (model as ObjectField).properties.find((candidate) => candidate.name === name);
  assert.ok(found, `no property ${name}`);
  return found.field;
}

test("a flat tool schema: kinds, required markers, descriptions as help", () => {
  const model = buildFieldModel({
    type: "object",
    properties: {
      loan_id: { title: "Loan Id", type: "integer", description: "Loan ID" },
      amount: { type: "number", minimum: 0 },
      note: { type: "string" },
      urgent: { type: "boolean" },
    },
    required: ["loan_id"],
  }) as ObjectField;
  assert.deepEqual(
    model.properties.map((p) => [p.name, p.field.kind, p.required]),
    [
      ["loan_id", "integer", true],
      ["amount", "number", false],
      ["note", "string", false],
      ["urgent", "boolean", false],
    ],
  );
  assert.equal(property(model, "loan_id").description, "Loan ID");
  assert.deepEqual(validateValue(model, {}), [{ path: "loan_id", message: "required" }]);
  assert.deepEqual(validateValue(model, { loan_id: 2.5, amount: -1 }), [
    { path: "loan_id", message: "expected a whole number, got 2.5" },
    { path: "amount", message: "must be at least 0" },
  ]);
  assert.deepEqual(validateValue(model, { loan_id: "abc" }), [{ path: "loan_id", message: 'expected an integer, got "abc"' }]);
  assert.deepEqual(validateValue(model, { loan_id: 3, amount: 1.5, note: "x", urgent: true }), []);
});

test("nested objects and arrays of objects validate by path", () => {
  const model = buildFieldModel({
    type: "object",
    properties: {
      shipping: { type: "object", properties: { city: { type: "string" }, zip: { type: "string" } }, required: ["city"] },
      items: { type: "array", items: { type: "object", properties: { sku: { type: "string" }, qty: { type: "integer" } }, required: ["sku", "qty"] } },
    },
    required: ["shipping", "items"],
  });
  const items = property(model, "items") as ArrayField;
  assert.equal(items.kind, "array");
  assert.equal(items.items.kind, "object");
  assert.deepEqual(emptyValue(items.items), { sku: "" }, "a new item starts with its required text fields empty, numbers unset");
  assert.deepEqual(initialArguments(model), { shipping: { city: "" }, items: [] });
  assert.deepEqual(validateValue(model, { shipping: {}, items: [{ sku: "A", qty: 1 }, { sku: "B" }, "x"] }), [
    { path: "shipping.city", message: "required" },
    { path: "items[1].qty", message: "required" },
    { path: "items[2]", message: "expected an object, got text" },
  ]);
});

test("enum becomes a choice; a null among the options makes it nullable", () => {
  const status = buildFieldModel({ type: "string", enum: ["active", "returned", null] });
  assert.equal(status.kind, "enum");
  assert.deepEqual(status.kind === "enum" && status.options, ["active", "returned"]);
  assert.equal(status.nullable, true);
  assert.deepEqual(validateValue(status, "lost"), [{ path: "", message: 'must be one of "active", "returned"' }]);
  assert.deepEqual(validateValue(status, null), []);
  assert.equal(emptyValue(status), "active");
});

test("nullable anyOf is the inner field with a null toggle, keeping the outer title and description", () => {
  const model = buildFieldModel({
    type: "object",
    properties: {
      nickname: { anyOf: [{ type: "string", maxLength: 20 }, { type: "null" }], title: "Nickname", description: "Shown to others", default: null },
      count: { type: ["integer", "null"] },
    },
    required: ["nickname", "count"],
  });
  const nickname = property(model, "nickname");
  assert.equal(nickname.kind, "string");
  assert.equal(nickname.nullable, true);
  assert.equal(nickname.title, "Nickname");
  assert.equal(nickname.description, "Shown to others");
  assert.equal(property(model, "count").kind, "integer");
  assert.equal(property(model, "count").nullable, true);
  assert.deepEqual(validateValue(model, { nickname: null, count: null }), []);
  const plain = buildFieldModel({ type: "object", properties: { n: { type: "integer" } }, required: ["n"] });
  assert.deepEqual(validateValue(plain, { n: null }), [{ path: "n", message: "may not be null" }]);
});

test("oneOf with several object shapes is a union; the value picks its variant", () => {
  const model = buildFieldModel({
    oneOf: [
      { title: "Card", type: "object", properties: { card_number: { type: "string" } }, required: ["card_number"] },
      { title: "Bank", type: "object", properties: { iban: { type: "string" } }, required: ["iban"] },
      { type: "null" },
    ],
  }) as UnionField;
  assert.equal(model.kind, "union");
  assert.equal(model.nullable, true);
  assert.deepEqual(
    model.variants.map((variant) => variant.label),
    ["Card (object)", "Bank (object)"],
  );
  assert.equal(matchVariant(model, { iban: "DE00" }), 1);
  assert.equal(matchVariant(model, { card_number: "4111" }), 0);
  assert.deepEqual(validateValue(model, { iban: "DE00" }), []);
  assert.deepEqual(emptyValue(model), { card_number: "" });
});

test("$ref into $defs and definitions resolves, with the reference's name as title", () => {
  const schema = {
    type: "object",
    properties: {
      address: { $ref: "#/$defs/Address", description: "Where to ship" },
      tags: { type: "array", items: { $ref: "#/definitions/Tag" } },
      mode: { allOf: [{ $ref: "#/$defs/Mode" }], description: "Delivery mode" },
    },
    required: ["address"],
    $defs: {
      Address: { type: "object", properties: { street: { type: "string" } }, required: ["street"] },
      Mode: { type: "string", enum: ["standard", "express"] },
    },
    definitions: { Tag: { type: "string" } },
  };
  const model = buildFieldModel(schema);
  const address = property(model, "address");
  assert.equal(address.kind, "object");
  assert.equal(address.title, "Address");
  assert.equal(address.description, "Where to ship");
  assert.equal((property(model, "tags") as ArrayField).items.kind, "string");
  const mode = property(model, "mode");
  assert.equal(mode.kind, "enum");
  assert.equal(mode.description, "Delivery mode");
  assert.deepEqual(validateValue(model, { address: { street: 5 } }), [{ path: "address.street", message: "expected text, got number" }]);
});

test("a recursive $ref expands once, then becomes a JSON field instead of looping", () => {
  const schema = {
    $ref: "#/$defs/Category",
    $defs: {
      Category: {
        type: "object",
        properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/Category" } } },
        required: ["name"],
      },
    },
  };
  const model = buildFieldModel(schema);
  assert.equal(model.kind, "object");
  const children = property(model, "children") as ArrayField;
  assert.equal(children.items.kind, "json");
  assert.match(children.items.kind === "json" ? (children.items.note ?? "") : "", /recursive reference to Category/);
  assert.deepEqual(validateValue(model, { name: "a", children: [{ anything: true }] }), []);
  const selfReferencing = buildFieldModel({ type: "object", properties: { next: { $ref: "#" } } });
  assert.equal(property(property(selfReferencing, "next"), "next").kind, "json");
});

test("an unresolvable reference or an untyped schema is editable as JSON", () => {
  assert.equal(buildFieldModel({ $ref: "#/$defs/Missing" }).kind, "json");
  assert.equal(buildFieldModel({ description: "anything" }).kind, "json");
  assert.equal(buildFieldModel({ type: "array", items: [{ type: "string" }] }).kind, "json");
});

test("required parameters start from the spec's example; optional ones start empty with it as placeholder", () => {
  const model = withExamples(
    buildFieldModel({
      type: "object",
      properties: {
        book_id: { type: "integer" },
        pickup_branch: { type: "string", example: "Westside" },
        genre: { type: "string" },
        limit: { type: "integer", default: 20 },
        note: { type: "string" },
      },
      required: ["book_id", "pickup_branch"],
    }),
    { book_id: "3", genre: "fiction", limit: 5 },
  );
  // A pre-filled optional genre would silently narrow a search.
  assert.deepEqual(initialArguments(model), { book_id: 3, pickup_branch: "Westside" });
  assert.deepEqual(initialArguments(model, true), { book_id: 3, pickup_branch: "Westside", genre: "fiction", limit: 5 });
  assert.equal(placeholderFor(property(model, "genre")), "e.g. fiction");
  assert.equal(placeholderFor(property(model, "limit")), "e.g. 5 · default: 20");
  assert.equal(placeholderFor(property(model, "note")), "");
  assert.deepEqual(initialArguments(withExamples(model, { pickup_branch: 7 })), { book_id: 3, pickup_branch: "7" });
  assert.deepEqual(initialArguments(withExamples(model, { book_id: "9007199254740993" })), { book_id: new ExactNumber("9007199254740993"), pickup_branch: "Westside" });
});

test("number boxes keep what was typed when it is not a number, so validation can say so", () => {
  assert.equal(parseNumberText(""), undefined);
  assert.equal(parseNumberText(" 42 "), 42);
  assert.equal(parseNumberText("-1.5"), -1.5);
  assert.equal(parseNumberText("12abc"), "12abc");
});

test("an integer box keeps every digit: 9007199254740993 stays itself, 1e+23 becomes its integer", () => {
  const id = buildFieldModel({ type: "integer" });
  const typed = parseNumberText("9007199254740993", "integer");
  assert.deepEqual(typed, new ExactNumber("9007199254740993"));
  assert.deepEqual(validateValue(id, typed), []);
  assert.equal(stringifyExactJson({ id: typed }), '{"id":9007199254740993}');
  assert.equal(stringifyExactJson({ id: parseNumberText("1e+23", "integer") }), '{"id":100000000000000000000000}');
  assert.equal(parseNumberText("4.5", "integer"), 4.5);
  assert.deepEqual(validateValue(id, 4.5), [{ path: "", message: "expected a whole number, got 4.5" }]);
  // A number box keeps the literal: a double holds 1e+23 only approximately, so it goes as typed.
  assert.deepEqual(parseNumberText("1e+23", "number"), new ExactNumber("1e+23"));
});

test("arguments written in the JSON view go out with integers in digits, other numbers as typed", () => {
  const model = buildFieldModel({
    type: "object",
    properties: { id: { type: "integer" }, price: { type: "number" }, ids: { type: "array", items: { type: "integer" } }, free: {} },
  });
  const value = parseExactJson('{"id": 1e+23, "price": 1e+23, "ids": [2.0e1, 9007199254740993], "free": 1e+23}');
  assert.deepEqual(validateValue(model, value), []);
  assert.equal(stringifyExactJson(canonicalIntegers(model, value)), '{"id":100000000000000000000000,"price":1e+23,"ids":[20,9007199254740993],"free":1e+23}');
  assert.deepEqual(validateValue(model, parseExactJson('{"id": 1.5e0}')), [{ path: "id", message: "expected a whole number, got 1.5e0" }]);
});
