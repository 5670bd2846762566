"use client";

import type { CatalogTool } from "@/lib/instances/shadowed-tools";
import { Badge } from "@/components/ui/badge";
import { initialArguments } from "@/components/schema-form/model";
import { SchemaForm } from "@/components/schema-form/schema-form";
import { useSchemaForm, type ArgumentsRequest } from "@/components/schema-form/use-schema-form";
import styles from "./playtest.module.css";

/** One tool: what it is, its arguments form (required fields prefilled from the spec's examples) and the Call button. */
export function ToolPanel({
  tool,
  examples,
  disabledReason,
  calling,
  onCall,
}: {
  tool: CatalogTool;
  examples: Record<string, unknown>;
  /** Why calling is impossible right now (instance down, playtest finished), if it is. */
  disabledReason?: string;
  calling: boolean;
  onCall: (request: ArgumentsRequest) => void;
}) {
  const form = useSchemaForm(tool.inputSchema, examples);
  const blocked = disabledReason ?? (form.jsonError ? "fix the JSON first" : form.errors.length > 0 ? "fix the arguments first" : undefined);
  return (
    <section className="card" data-testid="tool-panel" data-tool={tool.name}>
      <header className={`card__header ${styles.toolHeader}`}>
        <h2 className={styles.toolTitle}>{tool.name}</h2>
        <span className="mono faint">
          {tool.method} {tool.path}
        </span>
        <Badge tone={tool.changesState ? "warning" : "info"}>{tool.changesState ? "changes state" : "read-only"}</Badge>
      </header>
      <div className={`card__body ${styles.toolBody}`}>
        {tool.warning && (
          <div className={styles.shadowWarning} role="alert" data-testid="tool-warning">
            <strong>Shadowed route.</strong> {tool.warning}
          </div>
        )}
        {tool.description && <p className={styles.toolDescription}>{tool.description}</p>}
        <SchemaForm form={form} />
        <div className={styles.callBar}>
          <button type="button" className="button button--primary" disabled={blocked !== undefined || calling} onClick={() => onCall(form.request())} data-testid="call-button">
            {calling ? "Calling…" : form.mode === "raw" ? "Call raw" : "Call"}
          </button>
          <button type="button" className="button" onClick={() => form.setValue(initialArguments(form.model, true))} title="Fill every field that has one with the spec's example" data-testid="fill-examples">
            Examples
          </button>
          {blocked && <span className="faint">{blocked}</span>}
        </div>
      </div>
    </section>
  );
}
