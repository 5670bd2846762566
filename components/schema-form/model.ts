/**
 * JSON Schema → form model, and the value logic of the form (initial values, validation, union
 * matching). Pure functions: the React components only render what these decide.
 */

import { ExactNumber, exactInteger, integerDigits, numberFromLiteral, stringifyExactJson } from "@/lib/json/exact-json";

export type JsonSchema = Record<string, unknown>;

interface FieldBase {
  title?: string;
  description?: string;
  /** Accepts null explicitly (`anyOf: [X, {type: null}]`, `type: [X, "null"]`): the form shows a null toggle. */
  nullable: boolean;
  default?: unknown;
  example?: unknown;
}

export type ScalarKind = "string" | "integer" | "number" | "boolean";

export interface ScalarField extends FieldBase {
  kind: ScalarKind;
  format?: string;
  minimum?: number;
  maximum?: number;
}

export interface EnumField extends FieldBase {
  kind: "enum";
  options: unknown[];
}

export interface PropertyModel {
  name: string;
  required: boolean;
  field: FieldModel;
}

export interface ObjectField extends FieldBase {
  kind: "object";
  properties: PropertyModel[];
}

export interface ArrayField extends FieldBase {
  kind: "array";
  items: FieldModel;
}

export interface UnionField extends FieldBase {
  kind: "union";
  variants: { label: string; field: FieldModel }[];
}

/** Anything the form cannot break down (no type, tuples, a recursive reference): edited as JSON text. */
export interface JsonField extends FieldBase {
  kind: "json";
  note?: string;
}

export type FieldModel = ScalarField | EnumField | ObjectField | ArrayField | UnionField | JsonField;

export interface FieldError {
  /** "items[0].name"; "" for the whole value. */
  path: string;
  message: string;
}

const SCALAR_KINDS: readonly string[] = ["string", "integer", "number", "boolean"];

/** Builds the form model of `schema`; `$ref`s resolve against `root` ($defs, definitions, components). */
export function buildFieldModel(schema: unknown, root: unknown = schema, visiting: ReadonlySet<string> = new Set()): FieldModel {
  if (!isRecord(schema)) return { kind: "json", nullable: true };
  const base = annotations(schema);

  if (typeof schema.$ref === "string") {
    const ref = schema.$ref;
    if (visiting.has(ref)) return { ...base, kind: "json", nullable: true, note: `recursive reference to ${refName(ref)}: edit it as JSON` };
    const target = lookupRef(root, ref);
    if (target === undefined) return { ...base, kind: "json", nullable: true, note: `unresolved reference ${ref}` };
    const { $ref: _ref, ...siblings } = schema;
    const merged = { ...(isRecord(target) ? target : {}), ...siblings };
    const field = buildFieldModel(merged, root, new Set([...visiting, ref]));
    return field.title === undefined ? { ...field, title: refName(ref) } : field;
  }

  if (Array.isArray(schema.allOf)) {
    const { allOf, ...rest } = schema;
    return buildFieldModel(mergeAllOf(allOf.map((member) => resolveShallow(member, root)), rest), root, visiting);
  }

  const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (alternatives) {
    const { anyOf: _anyOf, oneOf: _oneOf, ...outer } = schema;
    const nonNull = alternatives.filter((member) => !isNullSchema(member));
    const nullable = nonNull.length < alternatives.length;
    if (nonNull.length === 0) return { ...base, kind: "enum", options: [null], nullable: true };
    if (nonNull.length === 1) {
      const inner = buildFieldModel({ ...outer, ...withoutAnnotationsOverridden(nonNull[0], outer) }, root, visiting);
      return { ...inner, ...definedAnnotations(base), nullable: nullable || inner.nullable };
    }
    const variants = nonNull.map((member, index) => {
      const field = buildFieldModel(member, root, visiting);
      return { label: variantLabel(field, index), field };
    });
    return { ...base, kind: "union", variants, nullable };
  }

  const types = Array.isArray(schema.type) ? schema.type.filter((type): type is string => typeof type === "string") : typeof schema.type === "string" ? [schema.type] : [];
  const typeNullable = types.includes("null");
  const concreteTypes = types.filter((type) => type !== "null");

  if (Array.isArray(schema.enum)) {
    const options = schema.enum.filter((option) => option !== null);
    return { ...base, kind: "enum", options, nullable: typeNullable || options.length < schema.enum.length };
  }
  if ("const" in schema) return { ...base, kind: "enum", options: [schema.const], nullable: typeNullable };

  if (concreteTypes.length > 1) {
    const variants = concreteTypes.map((type, index) => {
      const field = buildFieldModel({ ...schema, type }, root, visiting);
      return { label: variantLabel(field, index), field };
    });
    return { ...base, kind: "union", variants, nullable: typeNullable };
  }

  const type = concreteTypes[0] ?? (isRecord(schema.properties) ? "object" : "items" in schema ? "array" : undefined);
  if (type === "object") {
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const properties = Object.entries(isRecord(schema.properties) ? schema.properties : {}).map(([name, property]) => ({
      name,
      required: required.has(name),
      field: buildFieldModel(property, root, visiting),
    }));
    return { ...base, kind: "object", properties, nullable: typeNullable };
  }
  if (type === "array") {
    if (!isRecord(schema.items)) return { ...base, kind: "json", nullable: typeNullable, note: "a list whose items the form cannot describe: edit it as JSON" };
    return { ...base, kind: "array", items: buildFieldModel(schema.items, root, visiting), nullable: typeNullable };
  }
  if (type !== undefined && SCALAR_KINDS.includes(type)) {
    return {
      ...base,
      kind: type as ScalarKind,
      nullable: typeNullable,
      ...(typeof schema.format === "string" && { format: schema.format }),
      ...(typeof schema.minimum === "number" && { minimum: schema.minimum }),
      ...(typeof schema.maximum === "number" && { maximum: schema.maximum }),
    };
  }
  return { ...base, kind: "json", nullable: true };
}

/** The value a new array item or a freshly required field starts with; undefined means "not set yet". */
export function emptyValue(field: FieldModel): unknown {
  switch (field.kind) {
    case "string":
      return "";
    case "boolean":
      return false;
    case "integer":
    case "number":
      return undefined;
    case "enum":
      return field.options[0];
    case "array":
      return [];
    case "object":
      return Object.fromEntries(
        field.properties.filter((property) => property.required).flatMap((property) => {
          const value = emptyValue(property.field);
          return value === undefined ? [] : [[property.name, value]];
        }),
      );
    case "union":
      return field.variants[0] ? emptyValue(field.variants[0].field) : null;
    case "json":
      return null;
  }
}

/** The model with the spec's example for each top-level parameter (coerced to its type) as that field's example. */
export function withExamples(model: FieldModel, examples: Record<string, unknown>): FieldModel {
  if (model.kind !== "object") return model;
  const properties = model.properties.map((property) =>
    property.name in examples ? { ...property, field: { ...property.field, example: coerceExample(examples[property.name], property.field) } } : property,
  );
  return { ...model, properties };
}

/**
 * The arguments a tool's form starts with: a required parameter takes its example (required objects
 * and lists start empty); an optional one stays unset, its example only a placeholder, so nothing
 * narrows a call unasked and the server's defaults apply. `everyExample` fills optional ones too.
 */
export function initialArguments(model: FieldModel, everyExample = false): Record<string, unknown> {
  if (model.kind !== "object") return {};
  const value: Record<string, unknown> = {};
  for (const property of model.properties) {
    const { example } = property.field;
    if (example !== undefined && (property.required || everyExample)) value[property.name] = example;
    else if (property.required && (property.field.kind === "object" || property.field.kind === "array")) value[property.name] = emptyValue(property.field);
  }
  return value;
}

export function coerceExample(example: unknown, field: FieldModel): unknown {
  if (field.kind === "integer" && (typeof example === "string" || typeof example === "number")) return exactInteger(String(example)) ?? example;
  if (field.kind === "number" && typeof example === "string" && example.trim() !== "" && Number.isFinite(Number(example))) return Number(example);
  if (field.kind === "string" && (typeof example === "number" || typeof example === "boolean")) return String(example);
  if (field.kind === "boolean" && (example === "true" || example === "false")) return example === "true";
  return example;
}

/** What an empty input shows: the example, then the server's default, else the kind of value expected. */
export function placeholderFor(field: FieldModel): string {
  const shown = (value: unknown) => (typeof value === "string" ? value : stringifyExactJson(value));
  const parts = [
    ...(field.example !== undefined && field.example !== null ? [`e.g. ${shown(field.example)}`] : []),
    ...(field.default !== undefined && field.default !== null ? [`default: ${shown(field.default)}`] : []),
  ];
  if (parts.length > 0) return parts.join(" · ");
  return field.kind === "string" ? (field.format ?? "") : field.kind === "integer" || field.kind === "number" ? field.kind : "";
}

/** Every problem in `value`, by path; a missing optional field is fine, as is null for an optional one (pydantic reads it as None). */
export function validateValue(field: FieldModel, value: unknown, path = "", required = true): FieldError[] {
  if (value === undefined) return required ? [{ path, message: "required" }] : [];
  if (value === null) return field.nullable || !required || (field.kind === "enum" && field.options.includes(null)) || field.kind === "json" ? [] : [{ path, message: "may not be null" }];
  const error = (message: string): FieldError[] => [{ path, message }];
  switch (field.kind) {
    case "string":
      return typeof value === "string" ? [] : error(`expected text, got ${describeType(value)}`);
    case "boolean":
      return typeof value === "boolean" ? [] : error(`expected true or false, got ${describeType(value)}`);
    case "integer":
    case "number": {
      const number = value instanceof ExactNumber ? Number(value.text) : value;
      if (typeof number !== "number" || !Number.isFinite(number)) return error(`expected ${field.kind === "integer" ? "an integer" : "a number"}, got ${describeValue(value)}`);
      if (field.kind === "integer" && (value instanceof ExactNumber ? integerDigits(value.text) === undefined : !Number.isInteger(number))) return error(`expected a whole number, got ${String(value)}`);
      // Bounds compare as doubles: close enough for the ranges tool schemas declare.
      if (field.minimum !== undefined && number < field.minimum) return error(`must be at least ${field.minimum}`);
      if (field.maximum !== undefined && number > field.maximum) return error(`must be at most ${field.maximum}`);
      return [];
    }
    case "enum":
      return field.options.some((option) => deepEqual(option, value)) ? [] : error(`must be one of ${field.options.map((option) => JSON.stringify(option)).join(", ")}`);
    case "object": {
      if (!isRecord(value)) return error(`expected an object, got ${describeType(value)}`);
      return field.properties.flatMap((property) => validateValue(property.field, value[property.name], joinPath(path, property.name), property.required));
    }
    case "array":
      if (!Array.isArray(value)) return error(`expected a list, got ${describeType(value)}`);
      return value.flatMap((item, index) => validateValue(field.items, item, `${path}[${index}]`, true));
    case "union": {
      const variant = field.variants[matchVariant(field, value)];
      return variant ? validateValue(variant.field, value, path, true) : error("no variant to match");
    }
    case "json":
      return [];
  }
}

/** Index of the union variant `value` belongs to: the first it validates against, else the first of its JSON type. */
export function matchVariant(field: UnionField, value: unknown): number {
  const valid = field.variants.findIndex((variant) => validateValue(variant.field, value).length === 0);
  if (valid >= 0) return valid;
  const sameType = field.variants.findIndex((variant) => kindAccepts(variant.field.kind, value));
  return Math.max(0, sameType);
}

/**
 * What a number box holds: undefined when empty; for an integer, the integer the text denotes with
 * every digit (an ExactNumber beyond 2^53, "1e+23" written out), for a number, the number as typed;
 * else the text itself (so validation names the problem and the JSON view shows what was typed).
 */
export function parseNumberText(text: string, kind: "integer" | "number" = "number"): number | ExactNumber | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const integer = kind === "integer" ? exactInteger(trimmed) : undefined;
  if (integer !== undefined) return integer;
  if (JSON_NUMBER.test(trimmed)) return numberFromLiteral(trimmed);
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : text;
}

/**
 * The arguments as they are sent: every integer parameter written out in digits, since "1e+23" or
 * 1e21 in JSON reaches Python as a float. Only what the schema says is an integer changes.
 */
export function canonicalIntegers(field: FieldModel, value: unknown): unknown {
  switch (field.kind) {
    case "integer": {
      const text = value instanceof ExactNumber ? value.text : typeof value === "number" ? JSON.stringify(value) : undefined;
      return text === undefined ? value : (exactInteger(text) ?? value);
    }
    case "object":
      if (!isRecord(value)) return value;
      return Object.fromEntries(
        Object.entries(value).map(([name, item]) => {
          const property = field.properties.find((candidate) => candidate.name === name);
          return [name, property ? canonicalIntegers(property.field, item) : item];
        }),
      );
    case "array":
      return Array.isArray(value) ? value.map((item) => canonicalIntegers(field.items, item)) : value;
    case "union": {
      const variant = field.variants[matchVariant(field, value)];
      return variant ? canonicalIntegers(variant.field, value) : value;
    }
    default:
      return value;
  }
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function annotations(schema: JsonSchema): FieldBase {
  return {
    nullable: false,
    ...(typeof schema.title === "string" && { title: schema.title }),
    ...(typeof schema.description === "string" && { description: schema.description }),
    ...("default" in schema && { default: schema.default }),
    ...("example" in schema ? { example: schema.example } : Array.isArray(schema.examples) && schema.examples.length > 0 && { example: schema.examples[0] }),
  };
}

function definedAnnotations(base: FieldBase): Partial<FieldBase> {
  const { nullable: _nullable, ...rest } = base;
  return rest;
}

/** The member of a nullable union keeps its own keywords, but the outer title/description win. */
function withoutAnnotationsOverridden(member: unknown, outer: JsonSchema): JsonSchema {
  if (!isRecord(member)) return {};
  const copy = { ...member };
  for (const key of ["title", "description", "default", "example"]) if (key in outer) delete copy[key];
  return copy;
}

function mergeAllOf(members: unknown[], rest: JsonSchema): JsonSchema {
  const merged: JsonSchema = {};
  const properties: JsonSchema = {};
  const required: unknown[] = [];
  for (const member of [...members, rest]) {
    if (!isRecord(member)) continue;
    Object.assign(merged, member);
    if (isRecord(member.properties)) Object.assign(properties, member.properties);
    if (Array.isArray(member.required)) required.push(...member.required);
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.length > 0) merged.required = [...new Set(required)];
  return merged;
}

/** An allOf member that is a plain $ref is looked up, so its properties can merge with the others. */
function resolveShallow(member: unknown, root: unknown): unknown {
  if (!isRecord(member) || typeof member.$ref !== "string") return member;
  const target = lookupRef(root, member.$ref);
  const { $ref: _ref, ...siblings } = member;
  return isRecord(target) ? { ...target, ...siblings } : member;
}

function lookupRef(root: unknown, ref: string): unknown {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const segment of ref.slice(2).split("/")) {
    const key = decodeURIComponent(segment).replace(/~1/g, "/").replace(/~0/g, "~");
    node = isRecord(node) ? node[key] : undefined;
  }
  return node;
}

function refName(ref: string): string {
  return ref.split("/").at(-1) || ref;
}

function isNullSchema(schema: unknown): boolean {
  return isRecord(schema) && (schema.type === "null" || (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null));
}

function variantLabel(field: FieldModel, index: number): string {
  const kind = field.kind === "json" ? "JSON" : field.kind === "enum" ? "choice" : field.kind;
  return field.title ? `${field.title} (${kind})` : `${kind}${index > 0 && field.kind === "object" ? ` ${index + 1}` : ""}`;
}

function kindAccepts(kind: FieldModel["kind"], value: unknown): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "integer":
    case "number":
      return typeof value === "number" || value instanceof ExactNumber;
    case "boolean":
      return typeof value === "boolean";
    case "object":
      return isRecord(value);
    case "array":
      return Array.isArray(value);
    default:
      return false;
  }
}

function describeType(value: unknown): string {
  return value instanceof ExactNumber ? "number" : Array.isArray(value) ? "a list" : value === null ? "null" : typeof value === "object" ? "an object" : typeof value === "string" ? "text" : typeof value;
}

function describeValue(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : describeType(value);
}

export function joinPath(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof ExactNumber);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return a === b || stringifyExactJson(a) === stringifyExactJson(b);
}
