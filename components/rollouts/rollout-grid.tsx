import Link from "next/link";
import type { RolloutRow, TaskReport } from "@/lib/agent/rollout-report";
import { FORMAT_ERROR, FORMAT_ERROR_REWARD, rewardFor, verdictLabel } from "@/lib/awm/verdict";
import { numberText, rewardText } from "@/lib/number-text";
import table from "@/components/ui/table.module.css";
import styles from "./rollouts.module.css";


/** The cell's colour: the verdict's class, or an infrastructure failure (no reward). */
function tone(row: RolloutRow): string {
  if (row.infraFailure) return styles.infra ?? "";
  if (row.classification === "complete") return styles.complete ?? "";
  if (row.classification === "incomplete") return styles.partial ?? "";
  if (row.classification === FORMAT_ERROR) return styles.formatError ?? "";
  return styles.failed ?? "";
}

/** What each cell colour means, with the reward it stands for. */
const LEGEND = [
  { className: styles.complete, label: `${verdictLabel("complete")} ${rewardText(rewardFor("complete"))}` },
  { className: styles.partial, label: `${verdictLabel("incomplete")} ${rewardText(rewardFor("incomplete"))}` },
  { className: styles.failed, label: "not complete or agent/server error 0" },
  { className: styles.formatError, label: `${verdictLabel(FORMAT_ERROR)} ${rewardText(FORMAT_ERROR_REWARD)}` },
  { className: styles.infra, label: "infrastructure failure or judge error: no reward" },
  { className: styles.playing, label: "in play" },
  { className: styles.pending, label: "not played yet" },
];

export function RolloutLegend() {
  return (
    <ul className={styles.legend} data-testid="rollout-legend">
      {LEGEND.map((entry) => (
        <li key={entry.label}>
          <span className={`${styles.swatch} ${entry.className ?? ""}`} aria-hidden="true" />
          {entry.label}
        </li>
      ))}
    </ul>
  );
}

function Cell({ row, playing }: { row: RolloutRow | undefined; playing: boolean }) {
  if (!row && playing) return <td className={`${styles.cell} ${styles.playing}`} title="in play" data-testid="rollout-cell-playing" />;
  if (!row) return <td className={`${styles.cell} ${styles.pending}`} title="not played yet" />;
  // A verifier that raised is counted with the infrastructure failures (no reward), but named as what it is.
  const failure = row.classification === "judge_error" ? "judge error" : "infra";
  const title = row.infraFailure ? `${failure === "infra" ? "infrastructure failure" : "judge error (the verifier or judge failed; no reward)"}: ${row.infraFailure}` : `${row.classification ? verdictLabel(row.classification) : "?"}, reward ${rewardText(row.reward)}, advantage ${numberText(row.advantage, 2)}, ${row.turns} turns${row.malformed ? `, ${row.malformed} malformed` : ""}`;
  return (
    <td className={`${styles.cell} ${tone(row)}`}>
      <Link href={`/trajectories/${encodeURIComponent(row.trajectoryId)}`} title={title} data-testid="rollout-cell" data-classification={row.infraFailure ? "infra" : (row.classification ?? "")}>
        {row.infraFailure ? failure : rewardText(row.reward)}
      </Link>
    </td>
  );
}

function meanTurns(task: TaskReport): number | null {
  return task.rollouts.length === 0 ? null : task.rollouts.reduce((sum, row) => sum + row.turns, 0) / task.rollouts.length;
}

/** Two rollouts of the task side by side: the best against the worst (the first and the last when all are equal). */
function CompareLink({ task }: { task: TaskReport }) {
  const judged = task.rollouts.filter((row) => row.reward !== null).sort((a, b) => (b.reward ?? 0) - (a.reward ?? 0));
  const [best, worst] = [judged[0], judged.length > 1 ? judged.at(-1) : undefined];
  if (!best || !worst) return null;
  return (
    <Link href={`/trajectories/compare?a=${encodeURIComponent(best.trajectoryId)}&b=${encodeURIComponent(worst.trajectoryId)}`} title={`rollout #${best.rollout} (reward ${rewardText(best.reward)}) beside #${worst.rollout} (reward ${rewardText(worst.reward)})`}>
      compare
    </Link>
  );
}

/** Zero variance, said only of a group with two rollouts or more that got a reward: one alone has no spread to speak of. */
function SpreadNote({ task }: { task: TaskReport }) {
  const rewarded = task.rollouts.filter((row) => row.reward !== null).length;
  if (rewarded === 1) return <span className="faint" title="one rollout got a reward: no spread yet">one reward</span>;
  if (!task.zeroVariance) return null;
  return (
    <span className="faint" title={`all ${rewarded} rollouts with a reward got the same one: the task teaches nothing`}>
      zero variance
    </span>
  );
}

/** Task × rollout, each cell its verdict (opens the trajectory), then the group's statistics. */
export function RolloutGrid({
  tasks,
  taskTexts,
  group,
  selected,
  onSelect,
}: {
  tasks: TaskReport[];
  /** Each task's wording, once the environment is read. */
  taskTexts: ReadonlyMap<number, string>;
  group: number;
  selected: number | null;
  onSelect: (taskIdx: number | null) => void;
}) {
  // A wide group (up to 64 rollouts) scrolls inside its box; the page itself never scrolls sideways.
  return (
    <div className={styles.gridScroll}>
      <table className={`${table.table} ${styles.grid}`} data-testid="rollout-grid">
        <thead>
          <tr>
            <th colSpan={2} />
            <th colSpan={group} className={styles.rolloutsHead}>
              Rollouts
            </th>
            <th colSpan={group > 1 ? 6 : 5} />
          </tr>
          <tr>
            <th colSpan={2}>Task</th>
            {Array.from({ length: group }, (_, rollout) => (
              <th key={rollout}>#{rollout}</th>
            ))}
            <th>Turns</th>
            <th>Mean</th>
            <th>Std</th>
            <th>pass@1</th>
            {group > 1 && <th title={`unbiased pass@${group}: "—" until a task has ${group} scored rollouts (infrastructure failures are not scored)`}>pass@{group}</th>}
            <th />
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <tr key={task.taskIdx} className={selected === task.taskIdx ? styles.selectedRow : undefined}>
              <td>
                <button type="button" className={styles.taskButton} onClick={() => onSelect(selected === task.taskIdx ? null : task.taskIdx)} title="Show this task's reward histogram and tool usage">
                  #{task.taskIdx}
                </button>
              </td>
              <td className={styles.taskText} title={taskTexts.get(task.taskIdx)}>
                {taskTexts.get(task.taskIdx) ?? ""}
              </td>
              {Array.from({ length: group }, (_, rollout) => (
                <Cell key={rollout} row={task.rollouts.find((row) => row.rollout === rollout)} playing={task.playing.includes(rollout)} />
              ))}
              <td className="num" title="mean turns per rollout">{numberText(meanTurns(task), 2)}</td>
              <td className="num">{numberText(task.mean, 2)}</td>
              <td className="num">{numberText(task.std, 2)}</td>
              <td className="num">{numberText(task.passAtK["1"], 2)}</td>
              {group > 1 && <td className="num">{numberText(task.passAtK[String(group)], 2)}</td>}
              <td>
                <SpreadNote task={task} /> <CompareLink task={task} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
