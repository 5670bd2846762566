/**
 * The environment's tools as chat-completions function definitions: those its current code serves
 * (the catalog agents and MCP clients get, recorded at an instance start: lib/library/served-tools.ts)
 * when an instance of that code has run, else from its API spec (`gen_spec.jsonl`): one tool per
 * operation_id, its request_params as a JSON Schema object. The spec says what the code should serve
 * and can differ from it (the import's validation reports where): an export says which environments
 * had their tools from the spec.
 */
import type { SpecParam, SpecRecord } from "../awm/types.ts";
import { undefinedIfNotFound } from "../errors.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { servedToolsOf } from "../library/served-tools.ts";
import { functionTools, type FunctionTool } from "../runtime/tool-catalog.ts";

export type { FunctionTool } from "../runtime/tool-catalog.ts";

const JSON_TYPES = new Set(["string", "integer", "number", "boolean", "array", "object"]);

export function toolsFromSpec(spec: SpecRecord | undefined): FunctionTool[] {
  const tools: FunctionTool[] = [];
  for (const group of spec?.api_spec?.api_groups ?? []) {
    for (const endpoint of group.endpoints ?? []) {
      if (!endpoint.operation_id) continue;
      const params = Object.entries(endpoint.request_params ?? {});
      const description = [endpoint.summary, endpoint.description].filter(Boolean).join(": ");
      tools.push({
        type: "function",
        function: {
          name: endpoint.operation_id,
          ...(description && { description }),
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

/** An environment's tools, and where they came from. */
export interface EnvironmentTools {
  tools: FunctionTool[];
  /** "served": the catalog its current code served; "spec": no instance of that code has run. */
  from: "served" | "spec";
}

/** Tools per environment name, each loaded once per export; `fromSpec` lists the environments whose tools came from the spec. */
export function environmentToolCache(db: StudioTx = studioDb()): { tools: (name: string) => Promise<FunctionTool[]>; fromSpec: () => Promise<string[]> } {
  const cache = new Map<string, Promise<EnvironmentTools>>();
  const load = (name: string) => {
    let tools = cache.get(name);
    if (!tools) {
      tools = loadTools(name, db);
      cache.set(name, tools);
    }
    return tools;
  };
  return {
    tools: async (name) => (await load(name)).tools,
    fromSpec: async () => {
      const loaded = await Promise.all([...cache.entries()].map(async ([name, tools]) => ({ name, from: (await tools).from })));
      return loaded.filter((entry) => entry.from === "spec").map((entry) => entry.name).sort();
    },
  };
}

async function loadTools(name: string, db: StudioTx): Promise<EnvironmentTools> {
  const environment = await loadEnvironment(name, { artifacts: ["spec", "code"] }, db).catch(undefinedIfNotFound);
  if (!environment) return { tools: [], from: "spec" };
  const served = servedToolsOf(environment.servedTools, environment.artifacts.code?.record);
  return served ? { tools: functionTools(served), from: "served" } : { tools: toolsFromSpec(environment.artifacts.spec?.record), from: "spec" };
}
