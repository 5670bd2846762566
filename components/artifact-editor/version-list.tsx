"use client";

import type { ArtifactVersionSummary } from "@/lib/store/environment-views";
import { Badge } from "@/components/ui/badge";
import styles from "./artifact-editor.module.css";
import { formatWhen } from "@/components/ui/date-time";

export interface VersionListProps {
  versions: ArtifactVersionSummary[];
  /** The version the diff compares against. */
  comparedTo: number | null;
  onCompare(version: number): void;
  onRevert(version: number): void;
  busy: boolean;
}

/** Newest first. The first is current; any other can be compared with the draft or made current again. */
export function VersionList({ versions, comparedTo, onCompare, onRevert, busy }: VersionListProps) {
  return (
    <ol className={styles.versions} data-testid="version-list">
      {versions.map((entry, index) => (
        <li key={entry.version} className={`${styles.version}${entry.version === comparedTo ? ` ${styles.versionCompared}` : ""}`} data-testid={`version-row-${entry.version}`}>
          <div className={styles.versionHead}>
            <strong>v{entry.version}</strong>
            <Badge tone={originTone(entry.origin)}>{entry.origin}</Badge>
            {index === 0 && <Badge tone="ok">current</Badge>}
          </div>
          <div className="faint">{formatWhen(entry.createdAt)}</div>
          {index > 0 && (
            <div className={styles.versionActions}>
              <button type="button" className="button button--small" onClick={() => onCompare(entry.version)} disabled={entry.version === comparedTo}>
                Compare
              </button>
              <button type="button" className="button button--small" onClick={() => onRevert(entry.version)} disabled={busy} data-testid={`revert-to-${entry.version}`}>
                Revert to v{entry.version}
              </button>
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}

function originTone(origin: string) {
  if (origin === "generate") return "info" as const;
  if (origin === "edit") return "warning" as const;
  return "neutral" as const;
}
