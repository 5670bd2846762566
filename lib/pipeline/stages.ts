import { PIPELINE_STAGES, type PipelineStage } from "../awm/types.ts";

/** What each stage is generated from: scenario → tasks → schema → seed/spec → code → verifier. */
const PARENTS: Record<PipelineStage, PipelineStage[]> = {
  scenario: [],
  tasks: ["scenario"],
  schema: ["tasks"],
  seed: ["schema"],
  spec: ["schema"],
  code: ["seed", "spec"],
  verifier: ["code"],
};

export function isPipelineStage(value: string): value is PipelineStage {
  return (PIPELINE_STAGES as readonly string[]).includes(value);
}

/** Every stage this one is (transitively) generated from. */
export function upstreamStages(stage: PipelineStage): PipelineStage[] {
  const found = new Set<PipelineStage>();
  const visit = (current: PipelineStage) => {
    for (const parent of PARENTS[current]) {
      if (!found.has(parent)) {
        found.add(parent);
        visit(parent);
      }
    }
  };
  visit(stage);
  return PIPELINE_STAGES.filter((candidate) => found.has(candidate));
}

/** Every stage generated (transitively) from this one, in pipeline order. */
export function downstreamStages(stage: PipelineStage): PipelineStage[] {
  return PIPELINE_STAGES.filter((candidate) => upstreamStages(candidate).includes(stage));
}
