/**
 * Checks tool arguments against the tool's input schema before anything reaches the environment.
 * The schemas come from pydantic 1, which is more lenient than JSON Schema in two ways the check
 * follows: an optional field accepts null (Optional[...] = None emits no "null" type), and string
 * formats (date-time, email, ...) are parsed by pydantic itself, with its own rules.
 */
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import type { JsonSchemaType, JsonSchemaValidator } from "@modelcontextprotocol/sdk/validation";
import { InvalidInputError } from "../errors.ts";
import type { JsonSchema, Tool } from "../runtime/tool-catalog.ts";

export class InvalidToolArgumentsError extends InvalidInputError {
  override name = "InvalidToolArgumentsError";
  constructor(
    readonly tool: string,
    readonly problems: string,
  ) {
    super(`invalid arguments for ${tool}: ${problems}`);
  }
}

/** One compiler for the process: building one costs milliseconds (the MCP server reuses it too). */
export const jsonSchemaValidator = new AjvJsonSchemaValidator();
const validators = new WeakMap<Tool, JsonSchemaValidator<Record<string, unknown>>>();

/** Throws InvalidToolArgumentsError naming every offending argument. */
export function checkToolArguments(tool: Tool, args: unknown): asserts args is Record<string, unknown> {
  let validate = validators.get(tool);
  if (!validate) {
    validate = jsonSchemaValidator.getValidator<Record<string, unknown>>(lenientSchema({ ...tool.inputSchema }) as JsonSchemaType);
    validators.set(tool, validate);
  }
  const outcome = validate(args);
  if (!outcome.valid) throw new InvalidToolArgumentsError(tool.name, outcome.errorMessage.replace(/(^|, )data/g, "$1arguments"));
}

/** Keywords whose value is a schema or a list of schemas. */
const NESTED_SCHEMA_KEYWORDS = new Set(["items", "prefixItems", "additionalProperties", "not", "anyOf", "oneOf", "allOf"]);

function lenientSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "format" && typeof value === "string") continue;
    if (key === "properties" && isSchema(value)) out.properties = lenientProperties(value, schema.required);
    else if (NESTED_SCHEMA_KEYWORDS.has(key)) out[key] = lenientNested(value);
    else out[key] = value;
  }
  return out;
}

function lenientNested(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lenientNested);
  return isSchema(value) ? lenientSchema(value) : value;
}

function lenientProperties(properties: JsonSchema, required: unknown): JsonSchema {
  const requiredNames = new Set(Array.isArray(required) ? required : []);
  const out: JsonSchema = {};
  for (const [name, schema] of Object.entries(properties)) {
    if (!isSchema(schema)) continue;
    const lenient = lenientSchema(schema);
    out[name] = requiredNames.has(name) ? lenient : acceptNull(lenient);
  }
  return out;
}

function acceptNull(schema: JsonSchema): JsonSchema {
  const { type, enum: allowed } = schema;
  if (typeof type === "string") return withNullEnum({ ...schema, type: [type, "null"] }, allowed);
  if (Array.isArray(type)) return withNullEnum({ ...schema, type: type.includes("null") ? type : [...type, "null"] }, allowed);
  if (type === undefined && !("enum" in schema) && !("const" in schema) && Object.keys(schema).every(isAnnotation)) return schema;
  return { anyOf: [schema, { type: "null" }] };
}

function withNullEnum(schema: JsonSchema, allowed: unknown): JsonSchema {
  return Array.isArray(allowed) && !allowed.includes(null) ? { ...schema, enum: [...allowed, null] } : schema;
}

/** Keywords that constrain nothing: a schema made only of them already accepts null. */
function isAnnotation(key: string): boolean {
  return ["title", "description", "default", "examples", "example"].includes(key);
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
