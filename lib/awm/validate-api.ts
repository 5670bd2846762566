import { parseFastApiRoutes, type CodeRoute } from "./code-routes.ts";
import { issue, whereIn } from "./issue.ts";
import { findShadowedRoutes } from "./route-reachability.ts";
import type { AwmBundle, Located, SpecEndpoint, SpecRecord, ValidationIssue } from "./types.ts";

export interface ApiValidation {
  issues: ValidationIssue[];
  /** Distinct operation ids the server would actually serve. */
  reachableOperations: Set<string>;
}

/** Spec and code problems, and how the two disagree. */
export function validateApi(bundle: AwmBundle): ApiValidation {
  const issues: ValidationIssue[] = [];
  const endpoints = bundle.spec ? specEndpoints(bundle.spec) : [];
  if (bundle.spec) issues.push(...specIssues(bundle, bundle.spec, endpoints));
  else issues.push(issue("spec", "warning", "gen_spec.jsonl", `No API spec for scenario "${bundle.name}"`, { tab: "api" }));

  const code = bundle.code;
  if (!code) {
    issues.push(issue("code", "error", "gen_envs.jsonl", `No interface code for scenario "${bundle.name}": there is nothing to serve`, { tab: "code" }));
    return { issues, reachableOperations: new Set() };
  }
  const routes = parseFastApiRoutes(code.record.full_code);
  if (routes.length === 0) {
    issues.push(issue("code", "error", whereIn(code), "No FastAPI routes (@app.get(...), @app.post(...), ...) found in full_code", { tab: "code" }));
  }
  const unreachable = new Set<CodeRoute>();
  for (const { route, by, exact } of findShadowedRoutes(routes)) {
    unreachable.add(route);
    const how = exact ? `${route.method} ${route.path} defined at line ${by.line} and again at line ${route.line}` : `${route.method} ${route.path} (line ${route.line}) is matched first by ${by.method} ${by.path} (line ${by.line})`;
    issues.push(
      issue("code", "error", whereIn(code, `full_code line ${route.line}`), `${how}; requests reach the first handler (${label(by)}), ${label(route)} is unreachable`, {
        tab: "code",
        line: route.line,
        ...(route.operationId !== undefined && { operationId: route.operationId }),
      }),
    );
  }
  issues.push(...duplicateCodeOperationIds(code, routes));
  if (bundle.spec) issues.push(...specCodeMismatches(bundle.spec, code, endpoints, routes));
  const reachableOperations = new Set(routes.flatMap((route) => (unreachable.has(route) || route.operationId === undefined ? [] : [route.operationId])));
  return { issues, reachableOperations };
}

interface NumberedEndpoint {
  endpoint: SpecEndpoint;
  /** "api_groups[0].endpoints[3]" */
  path: string;
}

function specEndpoints(spec: Located<SpecRecord>): NumberedEndpoint[] {
  return spec.record.api_spec.api_groups.flatMap((group, g) =>
    group.endpoints.map((endpoint, e) => ({ endpoint, path: `api_groups[${g}].endpoints[${e}]` })),
  );
}

function specIssues(bundle: AwmBundle, spec: Located<SpecRecord>, endpoints: NumberedEndpoint[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (endpoints.length === 0) issues.push(issue("spec", "error", whereIn(spec), "The spec declares no endpoints", { tab: "api" }));
  const tables = new Set((bundle.schema?.record.db_schema.tables ?? []).map((table) => table.name.toLowerCase()));
  const byId = new Map<string, NumberedEndpoint>();
  const byRoute = new Map<string, NumberedEndpoint>();
  for (const numbered of endpoints) {
    const { endpoint } = numbered;
    const location = { tab: "api" as const, operationId: endpoint.operation_id };
    const where = whereIn(spec, `operation ${endpoint.operation_id}`);
    const sameId = byId.get(endpoint.operation_id);
    if (sameId) issues.push(issue("spec", "error", where, `operation_id "${endpoint.operation_id}" is declared twice (${sameId.path} and ${numbered.path}); tool names must be unique`, location));
    else byId.set(endpoint.operation_id, numbered);
    const route = `${endpoint.method.toUpperCase()} ${endpoint.path}`;
    const sameRoute = byRoute.get(route);
    if (sameRoute) issues.push(issue("spec", "warning", where, `${route} is declared for both ${sameRoute.endpoint.operation_id} and ${endpoint.operation_id}`, location));
    else byRoute.set(route, numbered);
    if (bundle.schema) {
      const missing = (endpoint.required_tables ?? []).filter((table) => !tables.has(table.toLowerCase()));
      if (missing.length > 0) issues.push(issue("spec", "warning", where, `required_tables not in the schema: ${missing.join(", ")}`, location));
    }
  }
  return issues;
}

function duplicateCodeOperationIds(code: NonNullable<AwmBundle["code"]>, routes: CodeRoute[]): ValidationIssue[] {
  const first = new Map<string, CodeRoute>();
  const issues: ValidationIssue[] = [];
  for (const route of routes) {
    if (route.operationId === undefined) continue;
    const earlier = first.get(route.operationId);
    if (!earlier) first.set(route.operationId, route);
    else if (earlier.line !== route.line) {
      issues.push(
        issue("code", "warning", whereIn(code, `full_code line ${route.line}`), `operation id "${route.operationId}" is used at line ${earlier.line} and again at line ${route.line}; tool names must be unique`, {
          tab: "code",
          line: route.line,
          operationId: route.operationId,
        }),
      );
    }
  }
  return issues;
}

function specCodeMismatches(spec: Located<SpecRecord>, code: NonNullable<AwmBundle["code"]>, endpoints: NumberedEndpoint[], routes: CodeRoute[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const codeIds = new Map<string, CodeRoute>();
  for (const route of routes) if (route.operationId !== undefined && !codeIds.has(route.operationId)) codeIds.set(route.operationId, route);
  const specIds = new Set(endpoints.map(({ endpoint }) => endpoint.operation_id));
  for (const { endpoint } of endpoints) {
    const route = codeIds.get(endpoint.operation_id);
    const location = { tab: "api" as const, operationId: endpoint.operation_id };
    const where = whereIn(spec, `operation ${endpoint.operation_id}`);
    if (!route) {
      issues.push(issue("code", "warning", where, `${endpoint.method.toUpperCase()} ${endpoint.path} (${endpoint.operation_id}) is in the spec but not in the code`, location));
    } else if (route.method !== endpoint.method.toUpperCase() || route.path !== endpoint.path) {
      issues.push(
        issue("code", "warning", where, `The spec says ${endpoint.method.toUpperCase()} ${endpoint.path} but the code serves ${endpoint.operation_id} at ${route.method} ${route.path} (line ${route.line})`, location),
      );
    }
  }
  for (const route of routes) {
    if (route.operationId === undefined || specIds.has(route.operationId)) continue;
    issues.push(
      issue("code", "warning", whereIn(code, `full_code line ${route.line}`), `${route.method} ${route.path} (${route.operationId}) is in the code but not in the spec`, {
        tab: "code",
        line: route.line,
        operationId: route.operationId,
      }),
    );
  }
  return issues;
}

function label(route: CodeRoute): string {
  return route.operationId ?? route.functionName ?? `line ${route.line}`;
}
