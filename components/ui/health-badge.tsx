import { Badge } from "./badge";
import styles from "./health-badge.module.css";

export type Health = "ok" | "warnings" | "errors";

/** "ok", "warnings N" or "errors N" (with the warning count alongside errors when both exist). */
export function HealthBadge({ health, errorCount, warningCount }: { health: Health; errorCount: number; warningCount: number }) {
  if (health === "errors") {
    return (
      <span className={styles.health} data-testid="health-badge" data-health="errors">
        <Badge tone="error" dot>
          {errorCount} {errorCount === 1 ? "error" : "errors"}
        </Badge>
        {warningCount > 0 && (
          <Badge tone="warning">
            {warningCount} {warningCount === 1 ? "warning" : "warnings"}
          </Badge>
        )}
      </span>
    );
  }
  if (health === "warnings") {
    return (
      <span className={styles.health} data-testid="health-badge" data-health="warnings">
        <Badge tone="warning" dot>
          {warningCount} {warningCount === 1 ? "warning" : "warnings"}
        </Badge>
      </span>
    );
  }
  return (
    <span className={styles.health} data-testid="health-badge" data-health="ok">
      <Badge tone="ok" dot>
        ok
      </Badge>
    </span>
  );
}
