"use client";

import { Badge } from "@/components/ui/badge";
import { ErrorBox } from "@/components/ui/error-box";
import styles from "./settings.module.css";
import { useRuntimeStatus } from "./use-llm-settings";

/** Whether this machine can run environment code: interpreter, packages, sandbox, and the fix. */
export function RuntimeCard() {
  const status = useRuntimeStatus();
  return (
    <section className={`card ${styles.form}`} data-testid="runtime-card">
      <header className="card__header">
        <h2>Environment runtime</h2>
        {status.data && (
          <Badge tone={status.data.ready ? (status.data.sandbox.available ? "ok" : "warning") : "error"} testId="runtime-ready">
            {status.data.ready ? (status.data.sandbox.available ? "ready, sandboxed" : "ready, NOT sandboxed") : "not ready"}
          </Badge>
        )}
      </header>
      {status.isPending && <div className="skeleton" style={{ width: 320, margin: 14 }} />}
      {status.isError && <ErrorBox title="Cannot check the runtime" error={status.error} />}
      {status.data && (
        <div className={styles.rows}>
          <div className={styles.row}>
            <div className={styles.label}>Python</div>
            <div className={styles.field}>
              <span className="mono">{status.data.python.python}</span>
              <span className={styles.hint}>
                {status.data.python.error ??
                  Object.entries(status.data.python.found)
                    .map(([name, version]) => `${name} ${version}`)
                    .join(" · ")}
                {status.data.python.missing.length > 0 && ` — missing ${status.data.python.missing.join(", ")}`}
              </span>
            </div>
          </div>
          <div className={styles.row}>
            <div className={styles.label}>Sandbox</div>
            <div className={styles.field}>
              <span>{status.data.sandbox.available ? "bubblewrap: no network, system read-only, memory and time limits" : status.data.sandbox.reason}</span>
            </div>
          </div>
          <div className={styles.row}>
            <div className={styles.label}>Limits</div>
            <ul className={`${styles.field} ${styles.limits}`} data-testid="runtime-limits">
              {status.data.protections.limits.map((limit) => (
                <li key={limit.name} data-enforced={limit.enforced}>
                  <Badge tone={limit.enforced ? "ok" : "warning"}>{limit.enforced ? "on" : "off"}</Badge> <strong>{limit.name}</strong>
                  <span className={styles.hint}>{limit.how}</span>
                </li>
              ))}
            </ul>
          </div>
          {status.data.advice.length > 0 && (
            <div className={styles.row}>
              <div className={styles.label}>To do</div>
              <ul className={styles.field} data-testid="runtime-advice">
                {status.data.advice.map((line) => (
                  <li key={line} className="mono">
                    {line}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
