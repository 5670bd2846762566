"use client";

import Link from "next/link";
import type { SpecEndpoint } from "@/lib/awm/types";
import styles from "./api.module.css";
import type { Implementation } from "./implementation";
import { MethodBadge } from "./method-badge";

export function endpointAnchorId(operationId: string): string {
  return `endpoint-${operationId}`;
}

/** One spec endpoint: header line always, details (params, response, tables) when open. */
export function EndpointCard({
  endpoint,
  envName,
  implementation,
  existingTables,
  open,
  highlighted,
  onToggle,
}: {
  endpoint: SpecEndpoint;
  envName: string;
  implementation: Implementation | null;
  existingTables: Set<string> | null;
  open: boolean;
  highlighted: boolean;
  onToggle: () => void;
}) {
  const env = `/environments/${encodeURIComponent(envName)}`;
  const params = Object.entries(endpoint.request_params ?? {});
  return (
    <article
      id={endpointAnchorId(endpoint.operation_id)}
      className={`${styles.endpoint} ${highlighted ? styles.highlighted : ""}`}
      data-testid="endpoint"
      data-op={endpoint.operation_id}
      data-implemented={implementation?.kind}
    >
      <button type="button" className={styles.endpointHead} onClick={onToggle} aria-expanded={open}>
        <MethodBadge method={endpoint.method} />
        <span className={styles.path}>{endpoint.path}</span>
        <span className={styles.opId}>{endpoint.operation_id}</span>
        <span className={styles.summary}>{endpoint.summary}</span>
        <ImplementationBadge implementation={implementation} />
        <span className={styles.chevron}>{open ? "▾" : "▸"}</span>
      </button>
      {open && (
        <div className={styles.endpointBody}>
          {endpoint.description && <p className={styles.description}>{endpoint.description}</p>}
          <div className={styles.meta}>
            {implementation && implementation.kind !== "missing" && (
              <Link href={`${env}?tab=code&line=${implementation.line}`}>View code (line {implementation.line}) →</Link>
            )}
            {endpoint.tags && endpoint.tags.length > 0 && <span className="faint">tags: {endpoint.tags.join(", ")}</span>}
          </div>
          <h4 className={styles.subhead}>Parameters</h4>
          {params.length === 0 ? (
            <div className="faint">None.</div>
          ) : (
            <table className={styles.params}>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>In</th>
                  <th>Type</th>
                  <th>Required</th>
                  <th>Description</th>
                  <th>Example</th>
                </tr>
              </thead>
              <tbody>
                {params.map(([paramName, param]) => (
                  <tr key={paramName}>
                    <td className="mono">{paramName}</td>
                    <td>
                      <span className={styles.in}>{param.param_type}</span>
                    </td>
                    <td className="mono faint">{param.type}</td>
                    <td>{param.required ? <strong>required</strong> : <span className="faint">optional</span>}</td>
                    <td>{param.description}</td>
                    <td className="mono">{param.example === undefined ? "" : JSON.stringify(param.example)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h4 className={styles.subhead}>Tables</h4>
          <div className={styles.tables}>
            {(endpoint.required_tables ?? []).map((table) => {
              const missing = existingTables !== null && !existingTables.has(table.toLowerCase());
              return (
                <Link
                  key={table}
                  href={`${env}?tab=schema&table=${encodeURIComponent(table)}`}
                  className={`badge ${missing ? "badge--error" : ""}`}
                  title={missing ? `${table} is not in the seed database` : undefined}
                  data-missing-table={missing ? table : undefined}
                >
                  {table}
                  {missing && " (missing)"}
                </Link>
              );
            })}
            {(endpoint.required_tables ?? []).length === 0 && <span className="faint">None listed.</span>}
          </div>
          <h4 className={styles.subhead}>Response</h4>
          <pre className={`code-block ${styles.response}`}>{JSON.stringify(endpoint.response ?? null, null, 2)}</pre>
        </div>
      )}
    </article>
  );
}

function ImplementationBadge({ implementation }: { implementation: Implementation | null }) {
  if (implementation === null) return <span className={styles.implSlot} />;
  if (implementation.kind === "implemented") return <span className={`badge badge--ok ${styles.implSlot}`}>in code · line {implementation.line}</span>;
  if (implementation.kind === "shadowed")
    return (
      <span className={`badge badge--warning ${styles.implSlot}`} title={`Line ${implementation.shadowedBy} declares the same method and path first, so requests never reach line ${implementation.line}`}>
        unreachable · line {implementation.line}
      </span>
    );
  if (implementation.kind === "other-id")
    return (
      <span className={`badge badge--warning ${styles.implSlot}`} title={`The code serves this route as ${implementation.operationId ?? "(no id)"}`}>
        route as {implementation.operationId ?? "?"}
      </span>
    );
  return <span className={`badge badge--error ${styles.implSlot}`}>not in code</span>;
}
