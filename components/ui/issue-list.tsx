import Link from "next/link";
import { groupIssuesByCause } from "@/lib/awm/issue-causes";
import { PIPELINE_STAGES, type PipelineStage, type ValidationIssue } from "@/lib/awm/types";
import { Badge } from "./badge";
import styles from "./issue-list.module.css";

function SeverityIcon({ severity }: { severity: ValidationIssue["severity"] }) {
  return severity === "error" ? (
    <svg className={`${styles.icon} ${styles.iconError}`} width="14" height="14" viewBox="0 0 16 16" aria-label="error" role="img">
      <circle cx="8" cy="8" r="7" fill="currentColor" />
      <path d="M5.5 5.5l5 5M10.5 5.5l-5 5" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  ) : (
    <svg className={`${styles.icon} ${styles.iconWarning}`} width="14" height="14" viewBox="0 0 16 16" aria-label="warning" role="img">
      <path d="M8 1.5l7 13H1z" fill="currentColor" />
      <path d="M8 6v4" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" />
      <circle cx="8" cy="12.2" r="1" fill="#fff" />
    </svg>
  );
}

interface Problem {
  cause: ValidationIssue;
  consequences: ValidationIssue[];
}

/** Problems (see lib/awm/issue-causes.ts) under the stage of their cause: errors first, the import's order otherwise. */
export function problemsByStage(issues: readonly ValidationIssue[]): { stage: PipelineStage; problems: Problem[] }[] {
  const problems = groupIssuesByCause(issues).map(({ cause, consequences }) => ({
    cause: issues[cause]!,
    consequences: consequences.map((index) => issues[index]!),
  }));
  return PIPELINE_STAGES.map((stage) => ({
    stage,
    problems: problems.filter((problem) => problem.cause.stage === stage).sort((a, b) => severityRank(a.cause) - severityRank(b.cause)),
  })).filter((group) => group.problems.length > 0);
}

function severityRank(issue: ValidationIssue): number {
  return issue.severity === "error" ? 0 : 1;
}

function IssueRow({ issue, hrefFor }: { issue: ValidationIssue; hrefFor?: (issue: ValidationIssue) => string }) {
  return (
    <div className={styles.issue} data-testid="issue" data-severity={issue.severity}>
      <SeverityIcon severity={issue.severity} />
      {hrefFor ? (
        <Link className={styles.where} href={hrefFor(issue)} data-testid="issue-link">
          {issue.where}
        </Link>
      ) : (
        <span className={styles.where}>{issue.where}</span>
      )}
      <pre className={styles.message}>{issue.message}</pre>
    </div>
  );
}

/**
 * Issues grouped by AWM stage, each problem once with the issues that follow from it folded under
 * it; `hrefFor` links every issue, consequences included, to the place in the studio that shows it.
 */
export function IssueGroups({ issues, hrefFor }: { issues: readonly ValidationIssue[]; hrefFor?: (issue: ValidationIssue) => string }) {
  return (
    <div className={styles.groups} data-testid="issue-groups">
      {problemsByStage(issues).map((group) => {
        const errors = group.problems.filter((problem) => problem.cause.severity === "error").length;
        const warnings = group.problems.length - errors;
        const following = group.problems.reduce((sum, problem) => sum + problem.consequences.length, 0);
        return (
          <section key={group.stage} className="card" data-testid={`issue-group-${group.stage}`}>
            <header className="card__header">
              <h3 className={styles.groupTitle}>{group.stage}</h3>
              {errors > 0 && <Badge tone="error">{errors} {errors === 1 ? "error" : "errors"}</Badge>}
              {warnings > 0 && <Badge tone="warning">{warnings} {warnings === 1 ? "warning" : "warnings"}</Badge>}
              {following > 0 && <Badge>+{following} following from them</Badge>}
            </header>
            <ul className={styles.list}>
              {group.problems.map(({ cause, consequences }, i) => (
                <li key={i} className={styles.problem} data-testid="problem">
                  <IssueRow issue={cause} hrefFor={hrefFor} />
                  {consequences.length > 0 && (
                    <details className={styles.consequences} data-testid="issue-consequences">
                      <summary>
                        {consequences.length} {consequences.length === 1 ? "consequence" : "consequences"} of this problem
                      </summary>
                      <ul className={styles.list}>
                        {consequences.map((consequence, j) => (
                          <li key={j} className={styles.problem}>
                            <IssueRow issue={consequence} hrefFor={hrefFor} />
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
