"use client";

import { useEffect, useMemo, useState } from "react";
import { MethodBadge } from "@/components/api/method-badge";
import { CodeViewer } from "@/components/code/code-viewer";
import styles from "@/components/code/code-tab.module.css";
import { routeDuplicates } from "@/components/code/route-duplicates";
import { useAnchor } from "@/components/code/use-anchor";
import { useCode } from "@/components/code/use-code";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorBox } from "@/components/ui/error-box";

/** The interface code in a read-only editor, with its FastAPI operations as a jump list. */
export function CodeTab({ name }: { name: string }) {
  const code = useCode(name);
  const [op, setOp] = useAnchor("op");
  const [lineParam] = useAnchor("line");
  const [search, setSearch] = useState("");
  const [target, setTarget] = useState<{ line: number } | null>(null);

  const routes = useMemo(() => code.data?.routes ?? [], [code.data]);
  const duplicates = useMemo(() => routeDuplicates(routes), [routes]);

  // Anchors in the URL (on load, or from a link elsewhere) decide where the editor jumps.
  useEffect(() => {
    const line = Number(lineParam);
    if (lineParam !== null && Number.isInteger(line) && line > 0) setTarget({ line });
    else if (op !== null) {
      const route = routes.find((r) => r.operationId === op);
      setTarget(route ? { line: route.line } : null);
    }
  }, [op, lineParam, routes]);

  if (code.isPending) return <div className="faint">Loading code…</div>;
  if (code.isError) return <ErrorBox title="Could not load the interface code" error={code.error} />;
  if (code.data.code === null) return <EmptyState title="No interface code">This environment has no gen_envs.jsonl record.</EmptyState>;

  const unknownOp = op !== null && lineParam === null && !routes.some((r) => r.operationId === op);
  const needle = search.trim().toLowerCase();
  const shown = routes
    .map((route, index) => ({ route, index }))
    .filter(({ route }) => !needle || `${route.method} ${route.path} ${route.operationId ?? ""}`.toLowerCase().includes(needle));

  return (
    <div className={styles.layout} data-testid="code-tab">
      <aside className={styles.sidebar}>
        <div className={styles.sidebarHead}>
          <strong>Operations</strong>
          <span className="faint">{routes.length}</span>
          {duplicates.size > 0 && <span className="badge badge--warning">{duplicates.size} duplicate</span>}
        </div>
        <input className="input" placeholder="Filter operations" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Filter operations" />
        <ul className={styles.opList} data-testid="code-operations">
          {shown.map(({ route, index }) => {
            const duplicate = duplicates.get(index);
            const active = target?.line === route.line;
            return (
              <li key={`${index}`}>
                <button
                  type="button"
                  className={`${styles.op} ${active ? styles.opActive : ""}`}
                  data-op={route.operationId}
                  title={duplicate ?? `line ${route.line}`}
                  onClick={() => {
                    setTarget({ line: route.line });
                    setOp(route.operationId ?? null, ["line"]);
                  }}
                >
                  <span className={styles.opTop}>
                    <MethodBadge method={route.method} />
                    <span className={styles.opId}>{route.operationId ?? route.functionName ?? "(anonymous)"}</span>
                    <span className={styles.opLine}>{route.line}</span>
                  </span>
                  <span className={styles.opPath}>{route.path}</span>
                  {duplicate && <span className={styles.opDuplicate}>{duplicate}</span>}
                </button>
              </li>
            );
          })}
          {shown.length === 0 && <li className="faint">{routes.length === 0 ? "No FastAPI routes found in the code." : "No operation matches."}</li>}
        </ul>
      </aside>
      <div className={styles.editor}>
        {unknownOp && (
          <div className={`badge badge--warning ${styles.notice}`} role="status">
            No route in this code has operation id {op}
          </div>
        )}
        <CodeViewer value={code.data.code} language="python" target={target} />
      </div>
    </div>
  );
}
