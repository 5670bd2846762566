import Link from "next/link";
import type { ImportedEnvironment, ImportReport } from "@/lib/library/import";
import type { KeptArtifact } from "@/lib/library/kept-artifacts";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import envName from "@/components/ui/env-name.module.css";
import grid from "@/components/ui/grid-table.module.css";
import { IssueGroups } from "@/components/ui/issue-list";
import issueStyles from "@/components/ui/issue-list.module.css";
import { issueHref } from "@/components/environment/tab-bar";
import styles from "./import.module.css";
import { plural } from "@/lib/plural";

const STATUS_TONE: Record<ImportedEnvironment["status"], BadgeTone> = { created: "ok", updated: "info", unchanged: "neutral" };

function issueSummary(env: ImportedEnvironment): { errors: number; warnings: number } {
  const errors = env.issues.filter((issue) => issue.severity === "error").length;
  return { errors, warnings: env.issues.length - errors };
}

function EnvironmentResult({ env, open }: { env: ImportedEnvironment; open: boolean }) {
  const { errors, warnings } = issueSummary(env);
  const { counts } = env;
  const kept = env.kept ?? [];
  const head = (
    <div className={styles.envHead}>
      <div>
        <Link href={`/environments/${encodeURIComponent(env.name)}`}>{env.scenario}</Link>
        <div className={envName.slug}>{env.name}</div>
      </div>
      <div>
        <Badge tone={STATUS_TONE[env.status]} testId="import-status">
          {env.status}
        </Badge>
      </div>
      <div className={styles.counts}>
        <span>{counts.tasks} tasks</span>
        <span>{counts.tables} tables</span>
        <span>{counts.seedRows} seed rows</span>
        <span className={counts.seedFailures > 0 ? grid.cellBad : undefined}>{counts.seedFailures} seed failures</span>
        <span>{counts.tools} tools</span>
        <span>{counts.verifiers} verifiers</span>
      </div>
      <div className={styles.health}>
        {errors > 0 && <Badge tone="error">{plural(errors, "error")}</Badge>}
        {warnings > 0 && <Badge tone="warning">{plural(warnings, "warning")}</Badge>}
        {kept.length > 0 && (
          <Badge tone="warning" testId="import-kept">
            {kept.length} kept from before
          </Badge>
        )}
        {errors + warnings + kept.length === 0 && <Badge tone="ok">ok</Badge>}
      </div>
    </div>
  );
  if (env.issues.length + kept.length === 0) return <div className={styles.env} data-testid="import-env" data-name={env.name}>{head}</div>;
  return (
    <details className={styles.env} open={open} data-testid="import-env" data-name={env.name}>
      <summary>{head}</summary>
      <div className={styles.issues}>
        {kept.length > 0 && <KeptList kept={kept} />}
        <IssueGroups issues={env.issues} hrefFor={(issue) => issueHref(env.name, issue)} />
      </div>
    </details>
  );
}

/** Artifacts the folder gave no readable record for: the environment still uses these earlier versions. */
function KeptList({ kept }: { kept: KeptArtifact[] }) {
  return (
    <div data-testid="import-kept-list">
      <h4>Kept at their earlier version (the folder gave no readable record)</h4>
      <ul className={issueStyles.list}>
        {kept.map((artifact) => (
          <li key={`${artifact.stage}/${artifact.key}`} className={`${issueStyles.issue} ${issueStyles.plain}`}>
            <span className={issueStyles.where}>{artifact.file}</span>
            <pre className={issueStyles.message}>{artifact.reason}</pre>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ImportReportView({ report }: { report: ImportReport }) {
  const byStatus = (status: ImportedEnvironment["status"]) => report.environments.filter((env) => env.status === status).length;
  // Small imports show every issue at once; big ones stay folded to one line per environment.
  const openAll = report.environments.length <= 5;
  return (
    <div className="stack" data-testid="import-report">
      <div className={styles.summary}>
        <h2>Report</h2>
        <span className="muted mono">{report.folder}</span>
        <Badge tone="ok">{byStatus("created")} created</Badge>
        <Badge tone="info">{byStatus("updated")} updated</Badge>
        <Badge>{byStatus("unchanged")} unchanged</Badge>
        {report.errors.length > 0 && <Badge tone="error">{plural(report.errors.length, "folder error")}</Badge>}
      </div>

      {report.errors.length > 0 && (
        <section className="card" data-testid="import-folder-errors">
          <header className="card__header">
            <h3>Folder errors</h3>
          </header>
          <ul className={issueStyles.list}>
            {report.errors.map((error, i) => (
              <li key={i} className={`${issueStyles.issue} ${issueStyles.plain}`}>
                <span className={issueStyles.where}>
                  {error.file}
                  {error.line !== undefined ? `:${error.line}` : ""}
                </span>
                <pre className={issueStyles.message}>{error.message}</pre>
              </li>
            ))}
          </ul>
        </section>
      )}

      {report.environments.length === 0 ? (
        <EmptyState title="No environment was imported">The folder held no AWM records that could be read; see the errors above.</EmptyState>
      ) : (
        <section className="card">
          {report.environments.map((env) => (
            <EnvironmentResult key={env.name} env={env} open={openAll} />
          ))}
        </section>
      )}
    </div>
  );
}
