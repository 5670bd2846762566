import { isTruncated, type EnvironmentTraceback } from "@/lib/runtime/environment-traceback";
import styles from "./traceback-block.module.css";

/** The environment's traceback for a failed call, folded; says when only its end was kept. */
export function TracebackBlock({ traceback }: { traceback: EnvironmentTraceback }) {
  return (
    <details className={styles.traceback} data-testid="step-traceback">
      <summary className={styles.summary}>
        The environment&apos;s traceback
        {isTruncated(traceback) && (
          <span className={styles.note} data-testid="step-traceback-truncated">
            truncated, {traceback.length.toLocaleString("en-US")} chars (the last {traceback.text.length.toLocaleString("en-US")} shown)
          </span>
        )}
      </summary>
      <pre className={styles.text}>{traceback.text}</pre>
    </details>
  );
}
