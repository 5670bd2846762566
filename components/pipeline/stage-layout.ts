import { PIPELINE_STAGES, type PipelineStage } from "@/lib/awm/types";
import { upstreamStages } from "@/lib/pipeline/stages";

export interface StageNodePlacement {
  stage: PipelineStage;
  column: number;
  row: number;
}

export interface StageEdge {
  from: PipelineStage;
  to: PipelineStage;
}

/** The stages a stage is generated from directly: its upstream stages minus those reached through another one. */
export function directParents(stage: PipelineStage): PipelineStage[] {
  const upstream = upstreamStages(stage);
  return upstream.filter((candidate) => !upstream.some((other) => other !== candidate && upstreamStages(other).includes(candidate)));
}

export function stageEdges(): StageEdge[] {
  return PIPELINE_STAGES.flatMap((to) => directParents(to).map((from) => ({ from, to })));
}

/** Column = longest chain of parents before the stage; stages sharing a column stack in pipeline order. */
export function stagePlacements(): StageNodePlacement[] {
  const columnOf = new Map<PipelineStage, number>();
  for (const stage of PIPELINE_STAGES) {
    columnOf.set(stage, Math.max(-1, ...directParents(stage).map((parent) => columnOf.get(parent) ?? 0)) + 1);
  }
  const rowsUsed = new Map<number, number>();
  return PIPELINE_STAGES.map((stage) => {
    const column = columnOf.get(stage) ?? 0;
    const row = rowsUsed.get(column) ?? 0;
    rowsUsed.set(column, row + 1);
    return { stage, column, row };
  });
}
