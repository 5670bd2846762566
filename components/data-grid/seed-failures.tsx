"use client";

import { useEffect, useRef } from "react";
import type { SeedFailure } from "@/lib/seeddb/problems";
import styles from "./data-tab.module.css";

/** INSERT statements of this table that failed when the seed database was built. */
export function SeedFailures({ failures, highlighted }: { failures: SeedFailure[]; highlighted: number | null }) {
  const target = useRef<HTMLLIElement>(null);
  useEffect(() => {
    target.current?.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }, [highlighted]);
  if (failures.length === 0) return null;
  return (
    <section className={styles.failures} data-testid="seed-failures">
      <div className={styles.failuresTitle}>
        {failures.length} INSERT statement{failures.length === 1 ? "" : "s"} for this table failed; their rows are not in the seed database.
      </div>
      <ul className={styles.failureList}>
        {failures.map((failure, i) => {
          const isTarget = highlighted !== null && failure.statement === highlighted;
          return (
            <li key={i} ref={isTarget ? target : undefined} className={`${styles.failure} ${isTarget ? styles.failureHighlighted : ""}`} data-testid="seed-failure" data-statement={failure.statement ?? undefined}>
              <div>
                <span className="mono faint">{failure.where}</span>
              </div>
              <div className={styles.failureMessage}>{failure.message}</div>
              {failure.sql && <pre className={`code-block ${styles.failureSql}`}>{failure.sql}</pre>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
