import assert from "node:assert/strict";
import { test } from "node:test";
import type { Tool } from "../runtime/tool-catalog.ts";
import { InvalidInputError } from "../errors.ts";
import { checkToolArguments, InvalidToolArgumentsError } from "./tool-arguments.ts";

/** Shaped like pydantic 1's schemas: Optional fields carry no "null" type, datetimes a format. */
const TOOL: Tool = {
  name: "book_stay",
  description: "",
  inputSchema: {
    type: "object",
    properties: {
      listing_id: { title: "Listing Id", type: "integer" },
      guests: { title: "Guests", type: "array", items: { type: "object", properties: { name: { type: "string" }, age: { type: "integer" } }, required: ["name"] } },
      check_in: { title: "Check In", type: "string", format: "date-time" },
      room: { title: "Room", enum: ["single", "double"], type: "string" },
      note: { title: "Note", type: "string" },
    },
    required: ["listing_id", "guests", "check_in"],
  },
  method: "POST",
  path: "/api/stays",
  changesState: true,
  argumentLocations: {},
  takesJsonBody: true,
};

function problems(args: unknown): string | undefined {
  try {
    checkToolArguments(TOOL, args);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof InvalidToolArgumentsError);
    assert.ok(error instanceof InvalidInputError, "answered as a 400 by the route wrapper");
    return error.message;
  }
}

const VALID = { listing_id: 3, guests: [{ name: "Ada" }], check_in: "2025-07-01T15:00:00" };

test("valid arguments pass, including null for optional fields and pydantic's datetime text", () => {
  assert.equal(problems(VALID), undefined);
  assert.equal(problems({ ...VALID, note: null, room: null, guests: [{ name: "Ada", age: null }] }), undefined);
});

test("every offending argument is named, nested ones by their path", () => {
  assert.equal(problems({ guests: [], check_in: "x" }), "invalid arguments for book_stay: arguments must have required property 'listing_id'");
  assert.equal(problems({ ...VALID, listing_id: "3", room: "suite" }), "invalid arguments for book_stay: arguments/listing_id must be integer, arguments/room must be equal to one of the allowed values");
  assert.match(problems({ ...VALID, guests: [{ age: 4 }] }) ?? "", /arguments\/guests\/0 must have required property 'name'/);
  assert.match(problems({ ...VALID, listing_id: null }) ?? "", /arguments\/listing_id must be integer/);
});
