import { Badge } from "@/components/ui/badge";
import type { ArtifactChange } from "@/lib/pipeline/edit";
import styles from "./artifact-editor.module.css";

/** What a save, revert or re-check did: the version now current and the stage check's verdict with its errors and warnings. */
export function CheckResult({ title, version, check }: { title: string; version: number; check: ArtifactChange["check"] }) {
  return (
    <div className={styles.result} data-testid="check-result" data-passed={check.passed}>
      <div className={styles.resultHead}>
        <span>
          {title} <strong>v{version}</strong>
        </span>
        <Badge tone={check.passed ? "ok" : "error"} dot>
          check {check.passed ? "passed" : "failed"}
        </Badge>
      </div>
      {check.warnings && check.warnings.length > 0 && (
        <ul className={`${styles.errors} ${styles.warnings}`} data-testid="check-warnings">
          {check.warnings.map((warning, index) => (
            <li key={index} className="mono">
              {warning}
            </li>
          ))}
        </ul>
      )}
      {check.errors.length > 0 && (
        <ul className={styles.errors}>
          {check.errors.map((error, index) => (
            <li key={index} className="mono">
              {error}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
