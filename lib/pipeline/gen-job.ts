/**
 * A `gen` job: new scenarios from seeds (in batches, near-duplicates and over-represented categories
 * left out), then every later stage for each new environment. An environment's flow starts as soon
 * as its scenario is accepted; model calls are bounded by the context's semaphore.
 */
import { normalizeScenarioName } from "../awm/normalize.ts";
import { PIPELINE_STAGES, type ScenarioRecord, type VerifierMode } from "../awm/types.ts";
import { revalidateEnvironment } from "../library/validate-environment.ts";
import { appendArtifactVersions } from "../store/artifacts.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { checkScenarioBatch, type ProposedScenario, type ScenarioBatchDetails } from "./checks/scenario-check.ts";
import { runEnvironmentStages, type FlowResult } from "./environment-flow.ts";
import { scenarioBatchPrompt } from "./prompts.ts";
import { seedSample } from "./seeds.ts";
import { CategoryBalancer, ScenarioDeduplicator } from "./similarity.ts";
import { runStage, type PipelineContext } from "./stage-loop.ts";

export interface GenParams {
  seedsFile: string;
  seeds: ScenarioRecord[];
  count: number;
  tasks: number;
  concurrency: number;
  maxAttempts: number;
  verifierMode: VerifierMode;
}

export interface GenSummary {
  environments: string[];
  failures: { environment: string; stage?: string; errors: string[] }[];
}

/** The "environment" of scenario batch StageRuns: they belong to the job, not to one environment. */
export const BATCH_ENVIRONMENT = "";
const MAX_SCENARIOS_PER_CALL = 20;
const MAX_TAKEN_NAMES_IN_PROMPT = 300;
const STAGES_AFTER_SCENARIO = PIPELINE_STAGES.filter((stage) => stage !== "scenario");

export async function runGenJob(context: PipelineContext, params: GenParams): Promise<GenSummary> {
  const db = studioDb();
  const library = await db.environment.findMany({ select: { name: true, scenario: true, description: true } });
  const dedup = new ScenarioDeduplicator(library.map((env) => ({ name: env.scenario, description: env.description })));
  const balancer = new CategoryBalancer(params.count);
  const taken = library.map((env) => env.scenario);
  const accepted: ProposedScenario[] = [];
  const flows: Promise<FlowResult>[] = [];
  const options = { taskCount: params.tasks, verifierMode: params.verifierMode };
  const startFlow = (name: string) =>
    flows.push(runEnvironmentStages(context, name, STAGES_AFTER_SCENARIO, options).catch((error: Error) => ({ environmentName: name, errors: [error.message] })));

  let scenarioErrors: string[] = [];
  for (let batch = 0; accepted.length < params.count; batch++) {
    const wanted = Math.min(params.count - accepted.length, MAX_SCENARIOS_PER_CALL);
    const input = { seeds: seedSample(params.seeds, batch), taken: taken.slice(-MAX_TAKEN_NAMES_IN_PROMPT), wanted };
    const result = await runStage(context, {
      environmentName: BATCH_ENVIRONMENT,
      stage: "scenario",
      key: `batch:${batch}`,
      scenario: "",
      prompt: (feedback) => scenarioBatchPrompt(input, feedback),
      check: async (answer) => checkScenarioBatch(answer, { wanted, dedup, balancer }),
      onPass: async (scenarios, tx) => {
        await createEnvironments(scenarios, context.jobId, tx);
        return null;
      },
    }, db);
    if (result.status === "failed") {
      scenarioErrors = [`only ${accepted.length} of ${params.count} scenarios: batch ${batch} failed after ${result.attempts} attempts`, ...result.checkResult.errors];
      break;
    }
    const batchAccepted = (result.checkResult.details as ScenarioBatchDetails | undefined)?.accepted ?? [];
    for (const scenario of batchAccepted) {
      // A batch that passed before a restart: replay it into the balancer (the library already holds it).
      if (!result.ranNow) balancer.accept(scenario.category);
      accepted.push(scenario);
      taken.push(scenario.name);
      const name = normalizeScenarioName(scenario.name);
      if (result.ranNow) await revalidateEnvironment(await db.environment.findUniqueOrThrow({ where: { name } }), { db });
      startFlow(name);
    }
  }
  const results = await Promise.all(flows);
  const failures: GenSummary["failures"] = results
    .filter((flow) => flow.errors.length > 0)
    .map((flow) => ({ environment: flow.environmentName, ...(flow.failedStage && { stage: flow.failedStage }), errors: flow.errors }));
  if (scenarioErrors.length > 0) failures.unshift({ environment: "(scenarios)", stage: "scenario", errors: scenarioErrors });
  return { environments: accepted.map((scenario) => normalizeScenarioName(scenario.name)), failures };
}

async function createEnvironments(scenarios: ProposedScenario[], jobId: string | null, tx: StudioTx): Promise<void> {
  for (const scenario of scenarios) {
    const name = normalizeScenarioName(scenario.name);
    if (await tx.environment.findUnique({ where: { name } })) throw new Error(`environment "${name}" was created by someone else while job ${jobId} ran`);
    const environment = await tx.environment.create({ data: { name, scenario: scenario.name, description: scenario.description, source: `generated (job ${jobId ?? "-"})` } });
    await appendArtifactVersions(environment.id, [{ kind: "scenario", key: "", record: { name: scenario.name, description: scenario.description } }], "generate", tx);
  }
}
