import type { EnvironmentPageData } from "@/lib/store/environment-views";
import { EmptyState } from "@/components/ui/empty-state";
import { IssueGroups } from "@/components/ui/issue-list";
import styles from "./environment.module.css";
import { issueHref } from "./tab-bar";
import { TaskStatusSummary } from "./task-status";

function StatCard({ label, value, bad = false }: { label: string; value: number; bad?: boolean }) {
  return (
    <div className={`${styles.statCard}${bad && value > 0 ? ` ${styles.statCardBad}` : ""}`}>
      <div className={styles.statLabel}>{label}</div>
      <div className={styles.statValue}>{value.toLocaleString("en-US")}</div>
    </div>
  );
}

export function OverviewTab({ env }: { env: EnvironmentPageData }) {
  return (
    <div className="stack" data-testid="overview-tab">
      {env.description ? <p className={styles.description}>{env.description}</p> : <p className={`${styles.description} faint`}>No scenario description.</p>}
      <div className={styles.statGrid}>
        <StatCard label="Tasks" value={env.taskCount} />
        <StatCard label="Tables" value={env.tableCount} />
        <StatCard label="Seed rows" value={env.seedRows} />
        <StatCard label="Seed failures" value={env.seedFailures} bad />
        <StatCard label="Tools" value={env.toolCount} />
        <StatCard label="Verifiers" value={env.verifierCount} />
        <StatCard label="Errors" value={env.errorCount} bad />
        <StatCard label="Warnings" value={env.warningCount} />
      </div>
      <h2>Task statuses</h2>
      <TaskStatusSummary name={env.name} />
      <h2>Issues</h2>
      {env.issues.length === 0 ? (
        <EmptyState title="No issues" testId="no-issues">
          Every stage imported and checked cleanly.
        </EmptyState>
      ) : (
        <IssueGroups issues={env.issues} hrefFor={(issue) => issueHref(env.name, issue)} />
      )}
      {env.source && (
        <div className="faint">
          Imported from <span className="mono">{env.source}</span>
        </div>
      )}
    </div>
  );
}
