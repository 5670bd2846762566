/**
 * The generation task of each stage for one environment: its prompt (from the environment's current
 * artifacts), its check, and how a passing answer is stored (a new "generate" version).
 */
import { normalizeScenarioName } from "../awm/normalize.ts";
import type { PipelineStage, VerifierMode } from "../awm/types.ts";
import { appendArtifactVersions, currentArtifact, parseVerifierKey, verifierKey } from "../store/artifacts.ts";
import type { StudioTx } from "../store/db.ts";
import { checkCode } from "./checks/code-check.ts";
import { checkSingleScenario } from "./checks/scenario-check.ts";
import { checkSchema } from "./checks/schema-check.ts";
import { checkSeed } from "./checks/seed-check.ts";
import { checkSpec } from "./checks/spec-check.ts";
import { checkTasks } from "./checks/tasks-check.ts";
import { withBuiltDatabase } from "./checks/temp-database.ts";
import { checkVerifier } from "./checks/verifier-check.ts";
import { awmDbPath, required, type EnvironmentInputs } from "./environment-inputs.ts";
import * as prompts from "./prompts.ts";
import type { PipelineContext, StageTask } from "./stage-loop.ts";

export const DEFAULT_TASK_COUNT = 10;

export interface StageOptions {
  /** Tasks per scenario (tasks stage). */
  taskCount: number;
  verifierMode: VerifierMode;
}

export type Definition = Omit<StageTask<unknown>, "environmentName" | "stage" | "scenario" | "onPass" | "key">;

/**
 * The tasks for one stage of an environment: one, or one per task for verifiers (keys
 * "<mode>:<taskIdx>"). Each is checked under the context's check semaphore.
 */
export function stageTasks(context: PipelineContext, inputs: EnvironmentInputs, stage: PipelineStage, options: StageOptions): StageTask<unknown>[] {
  const { environment } = inputs;
  const scenario = inputs.scenario?.name ?? environment.scenario;
  const build = (kind: PipelineStage, key: string, definition: Definition): StageTask<unknown> => ({
    environmentName: environment.name,
    stage,
    key,
    scenario,
    prompt: definition.prompt,
    check: (answer, raw) => context.checkLimit.run(() => definition.check(answer, raw)),
    onPass: (record, tx) => storeGenerated(environment.id, kind, key, record, tx),
  });
  if (stage === "verifier") {
    const tasks = required(inputs.tasks, "tasks", inputs, stage).tasks;
    return tasks.map((_, taskIdx) => {
      const key = verifierKey(options.verifierMode, taskIdx);
      return build("verifier", key, stageDefinition(inputs, stage, key, options));
    });
  }
  return [build(stage, "", stageDefinition(inputs, stage, "", options))];
}

/** The prompt and check of one stage artifact (key "<mode>:<taskIdx>" for verifiers, "" otherwise). */
export function stageDefinition(inputs: EnvironmentInputs, stage: PipelineStage, key: string, options: StageOptions): Definition {
  if (stage !== "verifier") return definitionFor(inputs, stage, options);
  const { mode, taskIdx } = parseVerifierKey(key);
  const task = required(inputs.tasks, "tasks", inputs, stage).tasks[taskIdx];
  if (task === undefined) throw new Error(`"${inputs.environment.name}" has no task ${taskIdx} for verifier ${key}`);
  return verifierDefinition(inputs, taskIdx, task, mode);
}

function definitionFor(inputs: EnvironmentInputs, stage: Exclude<PipelineStage, "verifier">, options: StageOptions): Definition {
  const { environment } = inputs;
  const scenarioRecord = () => required(inputs.scenario, "scenario", inputs, stage);
  const scenario = inputs.scenario?.name ?? environment.scenario;
  switch (stage) {
    case "scenario": {
      const current = inputs.scenario ?? { name: environment.scenario, description: "" };
      return { prompt: (feedback) => prompts.scenarioRewritePrompt(current, feedback), check: async (answer) => checkSingleScenario(answer, environment.name) };
    }
    case "tasks": {
      const input = { scenario: scenarioRecord(), count: options.taskCount };
      return { prompt: (feedback) => prompts.tasksPrompt(input, feedback), check: async (answer) => checkTasks(answer, { scenario, count: options.taskCount }) };
    }
    case "schema": {
      const input = { scenario: scenarioRecord(), tasks: required(inputs.tasks, "tasks", inputs, stage).tasks };
      return { prompt: (feedback) => prompts.schemaPrompt(input, feedback), check: (answer) => checkSchema(answer, { scenario, dbPath: awmDbPath(environment.name) }) };
    }
    case "seed": {
      const schema = required(inputs.schema, "schema", inputs, stage);
      const input = { scenario: scenarioRecord(), tasks: required(inputs.tasks, "tasks", inputs, stage).tasks, schema };
      return { prompt: (feedback) => prompts.seedPrompt(input, feedback), check: (answer) => checkSeed(answer, { scenario, schema }) };
    }
    case "spec": {
      const schema = required(inputs.schema, "schema", inputs, stage);
      const input = { scenario: scenarioRecord(), tasks: required(inputs.tasks, "tasks", inputs, stage).tasks, schema };
      return { prompt: (feedback) => prompts.specPrompt(input, feedback), check: async (answer) => checkSpec(answer, { scenario, schema }) };
    }
    case "code": {
      const schema = required(inputs.schema, "schema", inputs, stage);
      const spec = required(inputs.spec, "API spec", inputs, stage);
      const input = { scenario: scenarioRecord(), schema, spec };
      const context = { scenario, dbPath: awmDbPath(environment.name), schema, seed: inputs.seed, spec };
      return { prompt: (feedback) => prompts.codePrompt(input, feedback), check: (answer) => checkCode(answer, context) };
    }
  }
}

function verifierDefinition(inputs: EnvironmentInputs, taskIdx: number, task: string, mode: VerifierMode): Definition {
  const schema = required(inputs.schema, "schema", inputs, "verifier");
  const input = { scenario: required(inputs.scenario, "scenario", inputs, "verifier"), task, schema, seed: inputs.seed, mode };
  return {
    prompt: (feedback) => prompts.verifierPrompt(input, feedback),
    check: (answer, raw) =>
      withBuiltDatabase(schema, inputs.seed, (seedDbFile) =>
        checkVerifier(answer, { scenario: normalizeScenarioName(input.scenario.name), taskIdx, task, mode, seedDbFile, rawResponse: raw }),
      ),
  };
}

/** Appends the record as a "generate" version (no version when it equals the current one); returns the current version. */
async function storeGenerated(environmentId: string, kind: PipelineStage, key: string, record: unknown, tx: StudioTx): Promise<number | null> {
  await appendArtifactVersions(environmentId, [{ kind, key, record }], "generate", tx);
  if (kind === "scenario") await tx.environment.update({ where: { id: environmentId }, data: { scenario: (record as { name: string }).name } });
  return (await currentArtifact(environmentId, kind, key, tx))?.version ?? null;
}

/** A stored record turned back into its stage's answer shape, so edits and reverts go through the same check. */
export function answerOfRecord(kind: PipelineStage, record: unknown): Record<string, unknown> {
  switch (kind) {
    case "scenario":
      return { scenarios: [record] };
    case "tasks":
      return { tasks: field(record, "tasks") };
    case "schema":
      return { tables: field(field(record, "db_schema"), "tables") };
    case "seed":
      return { tables: field(field(record, "sample_data"), "tables") };
    case "spec":
      return { api_groups: field(field(record, "api_spec"), "api_groups") };
    case "code":
      return { full_code: field(record, "full_code") };
    case "verifier":
      return { code: field(field(record, "verification"), "code") };
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
