/** The API spec's example values per tool (operation id) and parameter, to prefill the playtest form. */
import type { SpecRecord } from "../awm/types.ts";

export type ToolExamples = Record<string, Record<string, unknown>>;

export function examplesFromSpec(spec: SpecRecord | undefined): ToolExamples {
  const examples: ToolExamples = {};
  for (const group of spec?.api_spec?.api_groups ?? []) {
    for (const endpoint of group.endpoints ?? []) {
      if (!endpoint.operation_id) continue;
      const params: Record<string, unknown> = {};
      for (const [name, param] of Object.entries(endpoint.request_params ?? {})) {
        if (param && typeof param === "object" && "example" in param && param.example !== undefined) params[name] = param.example;
      }
      examples[endpoint.operation_id] = { ...examples[endpoint.operation_id], ...params };
    }
  }
  return examples;
}
