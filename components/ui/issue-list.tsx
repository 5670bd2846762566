import Link from "next/link";
import { AWM_STAGES, type AwmStage, type ValidationIssue } from "@/lib/awm/types";
import { Badge } from "./badge";

function SeverityIcon({ severity }: { severity: ValidationIssue["severity"] }) {
  return severity === "error" ? (
    <svg className="issue__icon issue__icon--error" width="14" height="14" viewBox="0 0 16 16" aria-label="error" role="img">
      <circle cx="8" cy="8" r="7" fill="currentColor" />
      <path d="M5.5 5.5l5 5M10.5 5.5l-5 5" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  ) : (
    <svg className="issue__icon issue__icon--warning" width="14" height="14" viewBox="0 0 16 16" aria-label="warning" role="img">
      <path d="M8 1.5l7 13H1z" fill="currentColor" />
      <path d="M8 6v4" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" />
      <circle cx="8" cy="12.2" r="1" fill="#fff" />
    </svg>
  );
}

export function groupByStage<T extends { stage: AwmStage; severity: ValidationIssue["severity"] }>(issues: readonly T[]): { stage: AwmStage; issues: T[] }[] {
  return AWM_STAGES.map((stage) => ({
    stage,
    // Errors before warnings inside a stage; the import's order otherwise.
    issues: issues.filter((issue) => issue.stage === stage).sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1)),
  })).filter((group) => group.issues.length > 0);
}

/** Issues grouped by AWM stage; `hrefFor` links each one to the place in the studio that shows it. */
export function IssueGroups({ issues, hrefFor }: { issues: readonly ValidationIssue[]; hrefFor?: (issue: ValidationIssue) => string }) {
  return (
    <div className="issue-groups" data-testid="issue-groups">
      {groupByStage(issues).map((group) => {
        const errors = group.issues.filter((issue) => issue.severity === "error").length;
        const warnings = group.issues.length - errors;
        return (
          <section key={group.stage} className="card issue-group" data-testid={`issue-group-${group.stage}`}>
            <header className="card__header">
              <h3 className="issue-group__title">{group.stage}</h3>
              {errors > 0 && <Badge tone="error">{errors} {errors === 1 ? "error" : "errors"}</Badge>}
              {warnings > 0 && <Badge tone="warning">{warnings} {warnings === 1 ? "warning" : "warnings"}</Badge>}
            </header>
            <ul className="issue-list">
              {group.issues.map((issue, i) => (
                <li key={i} className="issue" data-testid="issue" data-severity={issue.severity}>
                  <SeverityIcon severity={issue.severity} />
                  {hrefFor ? (
                    <Link className="issue__where" href={hrefFor(issue)} data-testid="issue-link">
                      {issue.where}
                    </Link>
                  ) : (
                    <span className="issue__where">{issue.where}</span>
                  )}
                  <pre className="issue__message">{issue.message}</pre>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
