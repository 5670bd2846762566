"use client";

import { useEffect, useMemo, useState } from "react";
import styles from "@/components/api/api.module.css";
import { EndpointCard, endpointAnchorId } from "@/components/api/endpoint-card";
import { implementationOf, routesOutsideSpec } from "@/components/api/implementation";
import { MethodBadge } from "@/components/api/method-badge";
import { useSpec } from "@/components/api/use-spec";
import { useAnchor } from "@/components/code/use-anchor";
import { useCode } from "@/components/code/use-code";
import { useDatabase } from "@/components/schema/use-database";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorBox } from "@/components/ui/error-box";
import type { SpecEndpoint } from "@/lib/awm/types";

function matches(endpoint: SpecEndpoint, needle: string): boolean {
  const text = `${endpoint.method} ${endpoint.path} ${endpoint.operation_id} ${endpoint.summary ?? ""} ${endpoint.description ?? ""}`;
  return text.toLowerCase().includes(needle);
}

/** The API spec's groups and endpoints, each checked against the interface code. */
export function ApiTab({ name }: { name: string }) {
  const spec = useSpec(name);
  const code = useCode(name);
  const database = useDatabase(name);
  const [op, setOp] = useAnchor("op");
  const [search, setSearch] = useState("");
  const [openOps, setOpenOps] = useState<Set<string>>(new Set());
  const [expandAll, setExpandAll] = useState(false);

  const routes = code.data?.routes ?? null;
  const existingTables = useMemo(() => (database.data ? new Set(database.data.tables.map((t) => t.name.toLowerCase())) : null), [database.data]);

  useEffect(() => {
    if (!op || !spec.data) return;
    setOpenOps((current) => new Set(current).add(op));
    requestAnimationFrame(() => document.getElementById(endpointAnchorId(op))?.scrollIntoView({ behavior: "smooth", block: "start" }));
  }, [op, spec.data]);

  if (spec.isPending) return <div className="faint">Loading API spec…</div>;
  if (spec.isError) return <ErrorBox title="Could not load the API spec" error={spec.error} />;
  if (!spec.data.spec) return <EmptyState title="No API spec">This environment has no gen_spec.jsonl record.</EmptyState>;

  const groups = spec.data.spec.api_spec.api_groups;
  const endpoints = groups.flatMap((g) => g.endpoints);
  const needle = search.trim().toLowerCase();
  const implementations = new Map(endpoints.map((e) => [e.operation_id, routes ? implementationOf(e, routes) : null]));
  const missing = [...implementations.values()].filter((i) => i?.kind === "missing").length;
  const unreachable = [...implementations.values()].filter((i) => i?.kind === "shadowed").length;
  const extra = routes ? routesOutsideSpec(endpoints, routes) : [];

  const toggle = (operationId: string) => {
    const next = new Set(openOps);
    if (next.has(operationId)) next.delete(operationId);
    else next.add(operationId);
    setOpenOps(next);
    setOp(operationId);
  };

  return (
    <div className={styles.tab} data-testid="api-tab">
      <div className={styles.toolbar}>
        <input className={`input ${styles.search}`} placeholder="Search endpoints" aria-label="Search endpoints" value={search} onChange={(e) => setSearch(e.target.value)} />
        <span className="faint">
          {endpoints.length} endpoints in {groups.length} groups
        </span>
        {routes && (missing > 0 ? <span className="badge badge--error">{missing} not in code</span> : <span className="badge badge--ok">all in code</span>)}
        {unreachable > 0 && <span className="badge badge--warning">{unreachable} unreachable</span>}
        {code.isError && <span className="badge badge--warning">code routes unavailable: {code.error.message}</span>}
        <span className={styles.spacer} />
        <button type="button" className="button" onClick={() => setExpandAll(!expandAll)}>
          {expandAll ? "Collapse all" : "Expand all"}
        </button>
      </div>
      {groups.map((group) => {
        const shown = group.endpoints.filter((e) => !needle || matches(e, needle));
        if (shown.length === 0) return null;
        return (
          <section key={group.group_name} className={styles.group} data-testid="api-group">
            <h2 className={styles.groupTitle}>
              {group.group_name} <span className="count-chip">{group.endpoints.length}</span>
            </h2>
            <div className={styles.endpoints}>
              {shown.map((endpoint, i) => (
                <EndpointCard
                  key={`${endpoint.operation_id}-${i}`}
                  endpoint={endpoint}
                  envName={name}
                  implementation={implementations.get(endpoint.operation_id) ?? null}
                  existingTables={existingTables}
                  open={expandAll || openOps.has(endpoint.operation_id)}
                  highlighted={op === endpoint.operation_id}
                  onToggle={() => toggle(endpoint.operation_id)}
                />
              ))}
            </div>
          </section>
        );
      })}
      {needle && endpoints.every((e) => !matches(e, needle)) && <EmptyState title="No endpoint matches" />}
      {extra.length > 0 && (
        <section className={styles.group} data-testid="api-extra-routes">
          <h2 className={styles.groupTitle}>
            In the code but not in the spec <span className="count-chip">{extra.length}</span>
          </h2>
          <ul className={styles.extra}>
            {extra.map((route) => (
              <li key={`${route.method} ${route.path} ${route.line}`}>
                <MethodBadge method={route.method} /> <span className="mono">{route.path}</span> <span className="mono faint">{route.operationId}</span>{" "}
                <a href={`/environments/${encodeURIComponent(name)}?tab=code&line=${route.line}`}>line {route.line}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
