"use client";

import { useState } from "react";
import { clipText } from "./clipped-text";
import styles from "./long-text.module.css";

/** Characters shown before "show all": enough for any ordinary set of arguments. */
const DEFAULT_LIMIT = 600;

/** Text that may be huge (a tool call's arguments): its start, the length left out, and "show all" on demand. */
export function LongText({ text, limit = DEFAULT_LIMIT, className, testId }: { text: string; limit?: number; className?: string; testId?: string }) {
  const [expanded, setExpanded] = useState(false);
  const { shown, hidden } = expanded ? { shown: text, hidden: 0 } : clipText(text, limit);
  return (
    <span className={`${styles.text}${className ? ` ${className}` : ""}`} data-testid={testId} data-clipped={hidden > 0}>
      {shown}
      {hidden > 0 && (
        <>
          <span className={styles.more}>… {hidden.toLocaleString("en-US")} more characters</span>{" "}
          <button type="button" className={styles.toggle} onClick={() => setExpanded(true)} data-testid="long-text-expand">
            show all ({text.length.toLocaleString("en-US")})
          </button>
        </>
      )}
      {expanded && text.length > limit && (
        <button type="button" className={styles.toggle} onClick={() => setExpanded(false)}>
          show less
        </button>
      )}
    </span>
  );
}
