"use client";

import { useState } from "react";
import { LLM_ROLES, type LlmRole } from "@/lib/llm/roles";
import type { LlmSettingsView } from "@/lib/llm/settings";
import styles from "./settings.module.css";
import { useTestConnection } from "./use-llm-settings";
import { OptionSelect } from "@/components/ui/option-select";

/**
 * One tiny chat call with the chosen role's model (saved settings), showing model and latency or the
 * exact error. The role first offered is the first one with a model; unsaved edits are named, since
 * the test cannot see them.
 */
export function ConnectionTester({ view, unsaved }: { view: LlmSettingsView; unsaved: boolean }) {
  const [role, setRole] = useState<LlmRole>(() => LLM_ROLES.find((candidate) => view.models[candidate].value !== "") ?? "agent");
  const test = useTestConnection();
  const result = test.data;
  return (
    <>
      <div className={styles.testRow}>
        <OptionSelect value={role} options={LLM_ROLES} onChange={setRole} ariaLabel="Role to test" testId="settings-test-role" />
        <button type="button" className="button" onClick={() => test.mutate(role)} disabled={test.isPending} data-testid="settings-test">
          {test.isPending ? "Testing…" : "Test connection"}
        </button>
      </div>
      {unsaved ? (
        <span className={styles.unsaved} data-testid="settings-test-unsaved">
          The form has unsaved changes: the test uses the saved settings, so save first.
        </span>
      ) : (
        <span className={styles.hint}>Uses the saved settings.</span>
      )}
      {result?.ok && (
        <p className={`${styles.testResult} ${styles.testOk}`} data-testid="settings-test-result">
          ok: {result.model} answered in {result.latencyMs} ms: “{result.reply}”
        </p>
      )}
      {result && !result.ok && (
        <pre className="error-box error-box__message" data-testid="settings-test-result">
          {result.error}
        </pre>
      )}
      {test.isError && (
        <pre className="error-box error-box__message" data-testid="settings-test-result">
          {test.error.message}
        </pre>
      )}
    </>
  );
}
