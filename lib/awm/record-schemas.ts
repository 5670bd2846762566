import { z } from "zod";
import type { PipelineStage } from "./types.ts";

/**
 * Shapes every AWM record must have for the studio to use it. Objects are loose: unknown extra
 * fields are allowed (and kept by the reader, which stores the original parsed object, never the
 * parse output).
 */
const stringList = z.array(z.string());

export const scenarioRecordSchema = z.looseObject({ name: z.string(), description: z.string() });

export const tasksRecordSchema = z.looseObject({ scenario: z.string(), tasks: stringList });

export const schemaRecordSchema = z.looseObject({
  scenario: z.string(),
  db_schema: z.looseObject({
    tables: z.array(z.looseObject({ name: z.string(), ddl: z.string(), indexes: stringList })),
  }),
  db_path: z.string(),
});

export const seedRecordSchema = z.looseObject({
  scenario: z.string(),
  tables_count: z.number(),
  inserts_count: z.number(),
  sample_data: z.looseObject({
    tables: z.array(
      z.looseObject({ table_name: z.string(), reasoning: z.string().optional(), insert_statements: stringList }),
    ),
  }),
});

export const specRecordSchema = z.looseObject({
  scenario: z.string(),
  api_spec: z.looseObject({
    api_groups: z.array(
      z.looseObject({
        group_name: z.string(),
        endpoints: z.array(
          z.looseObject({
            path: z.string(),
            method: z.string(),
            operation_id: z.string(),
            request_params: z.record(z.string(), z.looseObject({ type: z.string(), param_type: z.string() })).optional(),
            required_tables: stringList.optional(),
          }),
        ),
      }),
    ),
  }),
});

export const codeRecordSchema = z.looseObject({ scenario: z.string(), db_path: z.string(), full_code: z.string() });

export const verifierRecordSchema = z.looseObject({
  scenario: z.string(),
  task_idx: z.number().int().nonnegative(),
  task: z.string(),
  verification: z.looseObject({ code: z.string(), raw_response: z.string().optional() }),
});

/** Each stage's record shape, and the field that names its scenario. */
export const STAGE_RECORDS: Record<PipelineStage, { schema: z.ZodType; nameField: "name" | "scenario" }> = {
  scenario: { schema: scenarioRecordSchema, nameField: "name" },
  tasks: { schema: tasksRecordSchema, nameField: "scenario" },
  schema: { schema: schemaRecordSchema, nameField: "scenario" },
  seed: { schema: seedRecordSchema, nameField: "scenario" },
  spec: { schema: specRecordSchema, nameField: "scenario" },
  code: { schema: codeRecordSchema, nameField: "scenario" },
  verifier: { schema: verifierRecordSchema, nameField: "scenario" },
};

/** Zod's own messages, each prefixed with the JSON path it concerns: "tasks[3]: Invalid input: ...". */
export function describeSchemaError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path
        .map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
        .join("");
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join("; ");
}
