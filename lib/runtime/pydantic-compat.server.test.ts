/** The pydantic 2 idioms of generated code behave as under pydantic 2 on Debian's pydantic 1.10. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { defaultPython, runtimePythonDir } from "./python-runtime.ts";

const SCRIPT = `
import json, sys
sys.path.insert(0, sys.argv[1])
import pydantic_compat
pydantic_compat.install()
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

class Item(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)
    quantity: int
    code: str = Field("ab", pattern="^[a-z]+[0-9]*$", json_schema_extra={"example": "zz"})

    @field_validator("quantity", mode="before")
    @classmethod
    def parse_quantity(cls, value):
        return int(value) * 2

    @field_validator("code")
    @classmethod
    def tag_code(cls, value, info):
        return value + str(info.data.get("quantity"))

    @model_validator(mode="after")
    def limit(self):
        if self.quantity > 100:
            raise ValueError("too many")
        return self

class Row:
    quantity = 1
    code = "q"

def rejects(data):
    try:
        Item.model_validate(data)
        return False
    except ValidationError:
        return True

print(json.dumps({
    "fields": sorted(Item.__fields__),
    "from_dict": Item.model_validate({"quantity": "3", "code": "x"}).model_dump(),
    "from_object": json.loads(Item.model_validate(Row()).model_dump_json()),
    "copy": Item(quantity=1, code="c").model_copy(update={"code": "d"}).model_dump(mode="json"),
    "schema_example": Item.model_json_schema()["properties"]["code"].get("example"),
    "bad_pattern_rejected": rejects({"quantity": 1, "code": "BAD"}),
    "after_validator_rejects": rejects({"quantity": 60, "code": "x"}),
}))
`;

test("model_config, validators and v2 method names work on pydantic 1", () => {
  const output = execFileSync(defaultPython(), ["-B", "-c", SCRIPT, runtimePythonDir()], { encoding: "utf8" });
  assert.deepEqual(JSON.parse(output), {
    fields: ["code", "quantity"],
    from_dict: { quantity: 6, code: "x6" },
    from_object: { quantity: 2, code: "q2" },
    copy: { quantity: 2, code: "d" },
    schema_example: "zz",
    bad_pattern_rejected: true,
    after_validator_rejects: true,
  });
});
