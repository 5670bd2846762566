/**
 * The environment's tools as chat-completions function definitions, from its current API spec
 * (`gen_spec.jsonl`): one tool per operation_id, its request_params as a JSON Schema object. The
 * studio keeps no OpenAPI document of an environment without booting it, so the spec is the source;
 * the code can differ from it (the import's validation reports where).
 */
import type { SpecParam, SpecRecord } from "../awm/types.ts";
import { undefinedIfNotFound } from "../errors.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { loadEnvironment } from "../store/load-environment.ts";

export interface FunctionTool {
  type: "function";
  function: { name: string; description: string; parameters: { type: "object"; properties: Record<string, Record<string, unknown>>; required: string[] } };
}

const JSON_TYPES = new Set(["string", "integer", "number", "boolean", "array", "object"]);

export function toolsFromSpec(spec: SpecRecord | undefined): FunctionTool[] {
  const tools: FunctionTool[] = [];
  for (const group of spec?.api_spec?.api_groups ?? []) {
    for (const endpoint of group.endpoints ?? []) {
      if (!endpoint.operation_id) continue;
      const params = Object.entries(endpoint.request_params ?? {});
      tools.push({
        type: "function",
        function: {
          name: endpoint.operation_id,
          description: [endpoint.summary, endpoint.description].filter(Boolean).join(": "),
          parameters: {
            type: "object",
            properties: Object.fromEntries(params.map(([name, param]) => [name, paramSchema(param)])),
            required: params.filter(([, param]) => param.required).map(([name]) => name),
          },
        },
      });
    }
  }
  return tools;
}

function paramSchema(param: SpecParam): Record<string, unknown> {
  const type = param.type?.toLowerCase();
  return {
    ...(type && JSON_TYPES.has(type) && { type }),
    ...(param.description && { description: param.description }),
  };
}

/** Tools per environment name, each loaded once per export. */
export function environmentToolCache(db: StudioTx = studioDb()): (name: string) => Promise<FunctionTool[]> {
  const cache = new Map<string, Promise<FunctionTool[]>>();
  return (name) => {
    let tools = cache.get(name);
    if (!tools) {
      tools = loadTools(name, db);
      cache.set(name, tools);
    }
    return tools;
  };
}

async function loadTools(name: string, db: StudioTx): Promise<FunctionTool[]> {
  const environment = await loadEnvironment(name, { artifacts: ["spec"] }, db).catch(undefinedIfNotFound);
  return environment ? toolsFromSpec(environment.artifacts.spec?.record) : [];
}
