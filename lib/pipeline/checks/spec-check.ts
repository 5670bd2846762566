import type { SchemaRecord, SpecEndpoint, SpecParam, SpecRecord } from "../../awm/types.ts";
import { arrayField, asObject, outcome, readShape, stringField, ShapeError, type CheckOutcome } from "./outcome.ts";

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);
const PARAM_TYPES = new Set(["path", "query", "body"]);
const OPERATION_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;

type ApiGroups = SpecRecord["api_spec"]["api_groups"];

function readGroups(answer: unknown): ApiGroups {
  return arrayField(asObject(answer, "answer"), "api_groups", "answer").map((item, g) => {
    const where = `api_groups[${g}]`;
    const group = asObject(item, where);
    const endpoints = arrayField(group, "endpoints", where).map((raw, e) => readEndpoint(raw, `${where}.endpoints[${e}]`));
    return { ...group, group_name: stringField(group, "group_name", where), endpoints };
  });
}

function readEndpoint(raw: unknown, where: string): SpecEndpoint {
  const endpoint = asObject(raw, where);
  const params = endpoint.request_params === undefined ? {} : asObject(endpoint.request_params, `${where}.request_params`);
  for (const [name, param] of Object.entries(params)) {
    const object = asObject(param, `${where}.request_params.${name}`);
    stringField(object, "type", `${where}.request_params.${name}`);
    stringField(object, "param_type", `${where}.request_params.${name}`);
  }
  const tables = endpoint.required_tables ?? [];
  if (!Array.isArray(tables) || tables.some((table) => typeof table !== "string")) throw new ShapeError(`${where}.required_tables must be an array of table names`);
  return {
    ...endpoint,
    path: stringField(endpoint, "path", where),
    method: stringField(endpoint, "method", where),
    operation_id: stringField(endpoint, "operation_id", where),
    request_params: params as Record<string, SpecParam>,
    required_tables: tables as string[],
  };
}

/** Shape, unique operation ids, methods, declared path parameters, and required_tables that exist in the schema. */
export function checkSpec(answer: unknown, options: { scenario: string; schema: SchemaRecord }): CheckOutcome<SpecRecord> {
  const shape = readShape(() => readGroups(answer));
  if ("error" in shape) return { passed: false, errors: [shape.error] };
  const groups = shape.value;
  const errors: string[] = [];
  const tables = new Set(options.schema.db_schema.tables.map((table) => table.name.toLowerCase()));
  const firstUse = new Map<string, string>();
  const endpoints = groups.flatMap((group, g) => group.endpoints.map((endpoint, e) => ({ endpoint, where: `api_groups[${g}].endpoints[${e}] (${endpoint.operation_id})` })));
  if (endpoints.length === 0) errors.push("the spec declares no endpoints");
  for (const { endpoint, where } of endpoints) {
    const id = endpoint.operation_id;
    if (!OPERATION_ID.test(id)) errors.push(`${where}: operation_id must be a Python identifier (letters, digits, _)`);
    const earlier = firstUse.get(id);
    if (earlier) errors.push(`${where}: operation_id "${id}" is already used by ${earlier}`);
    else firstUse.set(id, where);
    if (!METHODS.has(endpoint.method.toUpperCase())) errors.push(`${where}: method ${endpoint.method} is not one of ${[...METHODS].join(", ")}`);
    if (!endpoint.path.startsWith("/")) errors.push(`${where}: path "${endpoint.path}" must start with /`);
    const params = endpoint.request_params ?? {};
    for (const [name, param] of Object.entries(params)) {
      if (!PARAM_TYPES.has(param.param_type)) errors.push(`${where}: request_params.${name}.param_type is "${param.param_type}", not path, query or body`);
      if (param.param_type === "path" && !endpoint.path.includes(`{${name}}`)) errors.push(`${where}: path parameter ${name} does not appear in ${endpoint.path}`);
    }
    for (const name of pathParameterNames(endpoint.path)) {
      if (params[name]?.param_type !== "path") errors.push(`${where}: {${name}} in ${endpoint.path} is not declared as a path parameter`);
    }
    const missing = (endpoint.required_tables ?? []).filter((table) => !tables.has(table.toLowerCase()));
    if (missing.length > 0) errors.push(`${where}: required_tables not in the schema: ${missing.join(", ")}`);
  }
  return outcome(errors, { scenario: options.scenario, api_spec: { api_groups: groups } }, { operations: endpoints.length });
}

/**
 * The names of a path's {…} parameters ("{id}", "{id:int}" give "id"), as /\{(\w+)[^}]*\}/g finds
 * them, by a scan: that regex backtracked over the name to the end of a path without a "}" from
 * every "{", quadratic on a hostile path.
 */
function pathParameterNames(path: string): string[] {
  const names: string[] = [];
  const word = /\w+/y;
  let close = -1;
  for (let open = path.indexOf("{"); open >= 0; ) {
    // The "}" after this "{": the one found before, while it still lies after it (a run of "{" shares one).
    if (close <= open) close = path.indexOf("}", open + 1);
    if (close < 0) break;
    word.lastIndex = open + 1;
    const name = word.exec(path)?.[0]; // stops at the "}" at the latest: it is no word character
    if (name) names.push(name);
    open = path.indexOf("{", name ? close + 1 : open + 1);
  }
  return names;
}
