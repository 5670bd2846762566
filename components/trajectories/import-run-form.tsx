"use client";

import Link from "next/link";
import { useState } from "react";
import { countChangedRows } from "@/lib/trajectories/diff-shape";
import type { ReplayReport } from "@/lib/trajectories/import-and-replay";
import { plural } from "@/lib/plural";
import { taskLabel } from "@/lib/trajectories/task-text";
import { ErrorBox } from "@/components/ui/error-box";
import styles from "./trajectory.module.css";
import { useImportRun } from "./use-trajectories";

/** Upload a run folder's files (or name a folder on the server); the run is imported and replayed. */
export function ImportRunForm() {
  const importRun = useImportRun();
  const [files, setFiles] = useState<File[]>([]);
  const [folder, setFolder] = useState("");
  const [scenario, setScenario] = useState("");
  const result = importRun.data;
  return (
    <section className="card" data-testid="import-run">
      <header className="card__header">
        <h2>Import an agent run</h2>
        <span className="faint">trajectory.json, and initial.db, final.db, verify.code.json, verify.sql.json when present</span>
      </header>
      <div className={`card__body ${styles.importBody}`}>
        <div className={styles.importRow}>
          <input type="file" multiple data-testid="import-run-files" onChange={(event) => setFiles([...(event.target.files ?? [])])} />
          <input className="input" placeholder="scenario (optional: overrides trajectory.json)" value={scenario} onChange={(event) => setScenario(event.target.value)} />
          <button className="button button--primary" disabled={files.length === 0 || importRun.isPending} onClick={() => importRun.mutate({ files, scenario })} data-testid="import-run-upload">
            Upload
          </button>
        </div>
        <div className={styles.importRow}>
          <input className="input input--mono" placeholder="or a run folder on the server, e.g. /data/runs/gofundme/task_2" value={folder} onChange={(event) => setFolder(event.target.value)} data-testid="import-run-folder" />
          <button className="button" disabled={!folder.trim() || importRun.isPending} onClick={() => importRun.mutate({ folder: folder.trim(), scenario })} data-testid="import-run-submit">
            Import folder
          </button>
        </div>
        {importRun.isPending && <div className="muted">Importing and replaying…</div>}
        {importRun.error && <ErrorBox title="Import failed" error={importRun.error} />}
        {result && (
          <div data-testid="import-run-result">
            Imported <Link href={`/trajectories/${result.trajectoryId}`}>{result.environmentName} {taskLabel(result.taskIdx)}</Link>: {result.steps} step(s)
            {result.malformedSteps > 0 && `, ${result.malformedSteps} malformed`}; replay {result.replay.status}
            {result.replay.error ? `: ${result.replay.error}` : `; ${replaySummary(result.replay)}`}
            {result.warnings.map((warning) => (
              <div key={warning} className="faint">
                {warning}
              </div>
            ))}
          </div>
        )}
      </div>
    </section>
  );
}

function rows(count: number): string {
  return count === 0 ? "none" : `${count} row${count === 1 ? "" : "s"}`;
}

function replaySummary(replay: ReplayReport): string {
  const net = replay.netChange ? `net change ${rows(countChangedRows(replay.netChange))}` : "";
  const divergence = replay.divergence ? `divergence from final.db ${rows(countChangedRows(replay.divergence))}` : "no final.db to compare with";
  const refused = replay.refused.length > 0 ? `${plural(replay.refused.length, "recorded call")} the environment refused` : "";
  return [net, divergence, refused].filter(Boolean).join(", ");
}
