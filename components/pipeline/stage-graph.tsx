"use client";

import type { StageState, StageStateName } from "@/lib/pipeline/stage-state";
import type { PipelineStage } from "@/lib/awm/types";
import { stageEdges, stagePlacements } from "./stage-layout";
import styles from "./pipeline.module.css";

const NODE_W = 156;
const NODE_H = 70;
const COLUMN_GAP = 44;
const ROW_GAP = 22;
const PAD = 12;

const STATES: StageStateName[] = ["pending", "running", "passed", "failed", "stale"];

const placements = stagePlacements();
const rowsInColumn = new Map<number, number>();
for (const node of placements) rowsInColumn.set(node.column, Math.max(rowsInColumn.get(node.column) ?? 0, node.row + 1));
const maxRows = Math.max(...rowsInColumn.values());
const columns = Math.max(...placements.map((node) => node.column)) + 1;
const WIDTH = PAD * 2 + columns * NODE_W + (columns - 1) * COLUMN_GAP;
const HEIGHT = PAD * 2 + maxRows * NODE_H + (maxRows - 1) * ROW_GAP;

/** Top-left corner of a node; a column with fewer rows is centered vertically. */
const position = new Map(
  placements.map((node) => {
    const rows = rowsInColumn.get(node.column) ?? 1;
    const columnHeight = rows * NODE_H + (rows - 1) * ROW_GAP;
    const top = PAD + (HEIGHT - 2 * PAD - columnHeight) / 2;
    return [node.stage, { x: PAD + node.column * (NODE_W + COLUMN_GAP), y: top + node.row * (NODE_H + ROW_GAP) }];
  }),
);

function at(stage: PipelineStage) {
  return position.get(stage) ?? { x: 0, y: 0 };
}

/** "v3 · 2 attempts" ("v3 · attempt 3…" while running), or for verifiers "6 verifiers · 1 failed". */
export function nodeFacts(state: StageState): string {
  const runs = state.latestRun?.runs ?? [];
  if (state.stage === "verifier") {
    const failed = runs.filter((run) => run.status === "failed").length;
    return `${state.current.length} verifier${state.current.length === 1 ? "" : "s"}${failed > 0 ? ` · ${failed} failed` : ""}`;
  }
  const attempts = runs[0]?.attempts.length;
  const version = state.version === null ? "no version" : `v${state.version}`;
  if (attempts === undefined) return version;
  if (state.state === "running") return `${version} · attempt ${attempts + 1}…`;
  return `${version} · ${attempts} attempt${attempts === 1 ? "" : "s"}`;
}

export function StageGraph({ states, selected, onSelect }: { states: StageState[]; selected: PipelineStage | null; onSelect(stage: PipelineStage): void }) {
  const byStage = new Map(states.map((state) => [state.stage, state]));
  return (
    <svg className={styles.graph} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="group" aria-label="Pipeline stages" data-testid="stage-graph">
      <defs>
        <marker id="stage-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto">
          <path d="M0,0 L8,4 L0,8 z" className={styles.arrowHead} />
        </marker>
      </defs>
      {stageEdges().map(({ from, to }) => {
        const start = { x: at(from).x + NODE_W, y: at(from).y + NODE_H / 2 };
        const end = { x: at(to).x - 2, y: at(to).y + NODE_H / 2 };
        const bend = (end.x - start.x) / 2;
        return <path key={`${from}-${to}`} className={styles.edge} d={`M${start.x},${start.y} C${start.x + bend},${start.y} ${end.x - bend},${end.y} ${end.x},${end.y}`} markerEnd="url(#stage-arrow)" />;
      })}
      {placements.map(({ stage }) => {
        const state = byStage.get(stage);
        if (!state) return null;
        const { x, y } = at(stage);
        return (
          <g
            key={stage}
            transform={`translate(${x},${y})`}
            className={`${styles.node} ${styles[`node_${state.state}`]}${stage === selected ? ` ${styles.nodeSelected}` : ""}`}
            role="button"
            tabIndex={0}
            aria-pressed={stage === selected}
            aria-label={`${stage}: ${state.state}`}
            onClick={() => onSelect(stage)}
            onKeyDown={(event) => {
              if (event.key === "Enter" || event.key === " ") onSelect(stage);
            }}
            data-testid={`stage-node-${stage}`}
            data-state={state.state}
            data-version={state.version ?? ""}
          >
            <rect width={NODE_W} height={NODE_H} rx={8} className={styles.nodeBox} />
            <text x={12} y={22} className={styles.nodeName}>
              {stage}
            </text>
            <text x={12} y={42} className={styles.nodeFacts}>
              {nodeFacts(state)}
            </text>
            <circle cx={16} cy={57} r={4} className={styles.nodeDot} />
            <text x={26} y={61} className={styles.nodeState} data-testid={`stage-state-${stage}`}>
              {state.state}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function StageLegend() {
  return (
    <div className={styles.legend}>
      {STATES.map((state) => (
        <span key={state} className={`${styles.legendItem} ${styles[`node_${state}`]}`}>
          <svg width="10" height="10" aria-hidden>
            <circle cx="5" cy="5" r="4" className={styles.nodeDot} />
          </svg>
          {state}
        </span>
      ))}
    </div>
  );
}
