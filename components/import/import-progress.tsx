import type { ImportProgress } from "@/lib/library/import";
import styles from "./import.module.css";

export function ImportProgressBar({ folder, progress }: { folder: string; progress?: ImportProgress }) {
  const percent = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <div className={styles.progress} data-testid="import-progress" aria-live="polite">
      <div className={styles.progressLine}>
        <span>{progress ? <>Imported <code>{progress.name}</code></> : <>Reading <code>{folder}</code>…</>}</span>
        <span className="num">{progress ? `${progress.done} / ${progress.total}` : ""}</span>
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={progress?.total ?? 0} aria-valuenow={progress?.done ?? 0}>
        <div className="progress__bar" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
