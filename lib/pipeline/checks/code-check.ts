import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseFastApiRoutes } from "../../awm/code-routes.ts";
import { findShadowedRoutes } from "../../awm/route-reachability.ts";
import type { CodeRecord, SchemaRecord, SeedRecord, SpecEndpoint, SpecParam, SpecRecord } from "../../awm/types.ts";
import { startUpSchemaIssues } from "../../library/live-schema.ts";
import { startInstance, type EnvironmentInstance } from "../../runtime/instance.ts";
import { asObject, outcome, readShape, stringField, type CheckOutcome } from "./outcome.ts";
import { withBuiltDatabase } from "./temp-database.ts";
import { messageOf } from "../../errors.ts";

const BODY_EXCERPT_CHARS = 600;

export interface CodeCheckContext {
  scenario: string;
  dbPath: string;
  schema: SchemaRecord;
  seed: SeedRecord | undefined;
  spec: SpecRecord;
}

/**
 * The interface code boots in the sandbox on the seed database, serves every operation of the spec
 * (in its OpenAPI catalog, not shadowed by an earlier route), and every read-only operation answers
 * a call with the spec's example arguments without a server error.
 */
export async function checkCode(answer: unknown, context: CodeCheckContext): Promise<CheckOutcome<CodeRecord>> {
  const shape = readShape(() => stringField(asObject(answer, "answer"), "full_code", "answer"));
  if ("error" in shape) return { passed: false, errors: [shape.error] };
  const record: CodeRecord = { scenario: context.scenario, db_path: context.dbPath, full_code: shape.value };
  const endpoints = context.spec.api_spec.api_groups.flatMap((group) => group.endpoints);
  const errors = staticRouteErrors(record.full_code, endpoints);
  return withBuiltDatabase(context.schema, context.seed, async (seedDbFile) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "awm-code-"));
    let instance: EnvironmentInstance | undefined;
    // What the code's start-up did to the database (create_all): worth knowing, never a failed check.
    const warnings: string[] = [];
    try {
      instance = await startInstance({ code: record.full_code, seedDbFile, dir, limits: { startTimeoutMs: 15_000, callTimeoutMs: 10_000 } });
      warnings.push(...(await startUpSchemaWarnings(instance, seedDbFile, record.full_code, context.schema)));
      errors.push(...(await servedOperationErrors(instance, endpoints)));
    } catch (error) {
      errors.push(`the code does not start: ${messageOf(error)}`);
    } finally {
      await instance?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return outcome(errors, record, { operations: endpoints.length }, warnings);
  });
}

async function startUpSchemaWarnings(instance: EnvironmentInstance, seedDbFile: string, code: string, schema: SchemaRecord): Promise<string[]> {
  try {
    return (await startUpSchemaIssues(instance, seedDbFile, code, schema)).map((issue) => issue.message);
  } catch (error) {
    return [`could not compare the running instance's schema with the seed database: ${messageOf(error)}`];
  }
}

/** Spec operations the code declares no route for, or whose route an earlier one shadows. */
function staticRouteErrors(code: string, endpoints: SpecEndpoint[]): string[] {
  const routes = parseFastApiRoutes(code);
  const specIds = new Set(endpoints.map((endpoint) => endpoint.operation_id));
  return findShadowedRoutes(routes)
    .filter(({ route }) => route.operationId !== undefined && specIds.has(route.operationId))
    .map(({ route, by }) => `${route.operationId} (${route.method} ${route.path}, line ${route.line}) is unreachable: ${by.operationId ?? by.functionName} (${by.method} ${by.path}, line ${by.line}) matches its requests first; declare the more specific path first`);
}

async function servedOperationErrors(instance: EnvironmentInstance, endpoints: SpecEndpoint[]): Promise<string[]> {
  const errors: string[] = [];
  const served = new Set(instance.tools().map((tool) => tool.name));
  for (const endpoint of endpoints) {
    const id = endpoint.operation_id;
    if (!served.has(id)) {
      errors.push(`operation ${id} (${endpoint.method.toUpperCase()} ${endpoint.path}) of the spec is not served: no route with operation_id="${id}" in the OpenAPI document`);
      continue;
    }
    if (endpoint.method.toUpperCase() !== "GET") continue;
    const args = exampleArguments(endpoint.request_params ?? {});
    try {
      const result = await instance.callTool(id, args);
      if (result.status >= 500) errors.push(`GET ${id} with the spec's example arguments ${JSON.stringify(args)} answered HTTP ${result.status}: ${excerpt(result.body)}\n--- server log (tail) ---\n${instance.stderrTail(15)}`);
    } catch (error) {
      errors.push(`GET ${id} with the spec's example arguments ${JSON.stringify(args)} failed: ${messageOf(error)}`);
      if (instance.status !== "running") break;
    }
  }
  return errors;
}

/** The spec's example for every parameter that has one, and a typed stand-in for required ones that do not. */
export function exampleArguments(params: Record<string, SpecParam>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(params)) {
    if (param.example !== undefined && param.example !== null) args[name] = param.example;
    else if (param.required) args[name] = standIn(param.type);
  }
  return args;
}

function standIn(type: string): unknown {
  switch (type.toLowerCase()) {
    case "integer":
    case "int":
    case "number":
    case "float":
      return 1;
    case "boolean":
    case "bool":
      return true;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return "example";
  }
}

function excerpt(body: unknown): string {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return text.length > BODY_EXCERPT_CHARS ? `${text.slice(0, BODY_EXCERPT_CHARS)}…` : text;
}
