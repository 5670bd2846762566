"use client";

import { useMemo } from "react";
import { ObjectFields, FieldInput } from "./field-input";
import styles from "./schema-form.module.css";
import type { FieldError } from "./model";
import type { SchemaFormMode, SchemaFormState } from "./use-schema-form";

/**
 * A form generated from a JSON Schema (a tool's input schema), with a JSON view of the same
 * arguments. State comes from useSchemaForm, so the caller can read the value and its errors.
 */
export function SchemaForm({ form, testId = "schema-form" }: { form: SchemaFormState; testId?: string }) {
  const errors = useMemo(() => firstErrorPerPath(form.errors), [form.errors]);
  const topError = errors.get("");
  return (
    <div className={styles.form} data-testid={testId} data-mode={form.mode}>
      <div className={styles.toolbar}>
        <div className="segmented" role="tablist" aria-label="Edit as">
          {(["form", "json", "raw"] as const).map((mode) => (
            <button
              key={mode}
              type="button"
              role="tab"
              aria-selected={form.mode === mode}
              className={`segmented__item${form.mode === mode ? " segmented__item--active" : ""}`}
              onClick={() => form.setMode(mode)}
              disabled={mode === "form" && form.jsonError !== null}
              title={mode === "form" && form.jsonError ? "Fix the JSON first" : MODE_TITLES[mode]}
              data-testid={`form-mode-${mode}`}
            >
              {MODE_LABELS[mode]}
            </button>
          ))}
        </div>
        {form.errors.length > 0 && (
          <span className={styles.errorCount} data-testid="form-error-count">
            {form.errors.length} {form.errors.length === 1 ? "problem" : "problems"}
          </span>
        )}
      </div>
      {form.mode === "form" ? (
        form.model.kind === "object" ? (
          <ObjectFields field={form.model} value={form.value} onChange={(next) => form.setValue(next as Record<string, unknown>)} path="" errors={errors} />
        ) : (
          <FieldInput field={form.model} value={form.value} onChange={(next) => form.setValue(next as Record<string, unknown>)} path="" errors={errors} required label="arguments" />
        )
      ) : (
        <div>
          {form.mode === "raw" && (
            <div className={styles.rawNote} data-testid="raw-note">
              Sent exactly as written, with no check against the schema: see how the environment answers what agents really send.
            </div>
          )}
          <textarea
            className={`input input--mono ${styles.jsonEditor}`}
            value={form.jsonText}
            onChange={(event) => form.setJsonText(event.target.value)}
            spellCheck={false}
            rows={Math.min(24, Math.max(6, form.jsonText.split("\n").length + 1))}
            aria-label="Arguments as JSON"
            data-testid="json-editor"
          />
          {form.jsonError && (
            <div className={styles.error} data-testid="json-error">
              {form.jsonError}
            </div>
          )}
          {!form.jsonError &&
            form.mode === "json" &&
            form.errors.map((error) => (
              <div key={`${error.path}:${error.message}`} className={styles.error} data-testid="field-error">
                {error.path || "arguments"}: {error.message}
              </div>
            ))}
        </div>
      )}
      {topError && form.mode === "form" && <div className={styles.error}>{topError}</div>}
    </div>
  );
}

const MODE_LABELS: Record<SchemaFormMode, string> = { form: "Form", json: "JSON", raw: "Send raw" };
const MODE_TITLES: Record<SchemaFormMode, string> = {
  form: "One input per parameter, checked against the schema",
  json: "The same arguments as JSON, checked against the schema",
  raw: "JSON sent as written, without validation",
};

function firstErrorPerPath(errors: FieldError[]): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const error of errors) if (!byPath.has(error.path)) byPath.set(error.path, error.message);
  return byPath;
}
