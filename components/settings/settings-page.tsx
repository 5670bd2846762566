"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { ErrorBox } from "@/components/ui/error-box";
import { LLM_ROLES, type LlmRole } from "@/lib/llm/roles";
import type { LlmSettingsView, SettingValue } from "@/lib/llm/settings";
import { ConnectionTester } from "./connection-tester";
import { RuntimeCard } from "./runtime-card";
import styles from "./settings.module.css";
import { useLlmSettings, useSaveLlmSettings } from "./use-llm-settings";

const ROLE_HINTS: Record<LlmRole, string> = {
  generator: "Writes environments: scenarios, tasks, schema, data, API, code, verifiers.",
  agent: "Plays tasks in the environments.",
  judge: "Classifies runs from the trajectory and the verifier's evidence (sql mode).",
};

export function SettingsPage() {
  const settings = useLlmSettings();
  return (
    <div className="page">
      <div className="page__header">
        <div>
          <h1>Settings</h1>
          <div className="page__subtitle">The OpenAI-compatible endpoint the studio calls, a model per role, and what runs environment code.</div>
        </div>
      </div>
      {settings.isPending && <div className="skeleton" style={{ width: 320 }} />}
      {settings.isError && <ErrorBox title="Cannot load the settings" error={settings.error} />}
      {/* Not remounted when the view changes (a save): the form keeps its role, test result and "Saved." and takes the saved values itself. */}
      {settings.data && <SettingsForm view={settings.data} />}
      <RuntimeCard />
    </div>
  );
}

/** What the form shows for the saved settings: an empty field where a value comes from the environment or nowhere. */
function savedForm(view: LlmSettingsView): { baseUrl: string; models: Record<LlmRole, string> } {
  const saved = (value: SettingValue) => (value.source === "settings" ? value.value : "");
  return { baseUrl: saved(view.baseUrl), models: Object.fromEntries(LLM_ROLES.map((role) => [role, saved(view.models[role])])) as Record<LlmRole, string> };
}

function SettingsForm({ view }: { view: LlmSettingsView }) {
  const save = useSaveLlmSettings();
  const saved = savedForm(view);
  const [baseUrl, setBaseUrl] = useState(saved.baseUrl);
  const [apiKey, setApiKey] = useState("");
  const [models, setModels] = useState(saved.models);
  const unsaved = apiKey !== "" || baseUrl !== saved.baseUrl || LLM_ROLES.some((role) => models[role] !== saved.models[role]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { baseUrl, models, ...(apiKey ? { apiKey } : {}) },
      {
        onSuccess: (view) => {
          const stored = savedForm(view);
          setBaseUrl(stored.baseUrl);
          setModels(stored.models);
          setApiKey("");
        },
      },
    );
  };

  return (
    <form className={`card ${styles.form}`} onSubmit={submit} data-testid="settings-form">
      <header className="card__header">
        <h2>LLM endpoint</h2>
      </header>
      <div className={styles.rows}>
        <Row label="Base URL" htmlFor="settings-base-url">
          <input
            id="settings-base-url"
            className="input input--mono"
            value={baseUrl}
            onChange={(event) => setBaseUrl(event.target.value)}
            placeholder={placeholder(view.baseUrl, "https://api.openai.com/v1")}
            data-testid="settings-base-url"
          />
          <Source value={view.baseUrl} />
        </Row>
        <Row label="API key" htmlFor="settings-api-key">
          <input
            id="settings-api-key"
            className="input input--mono"
            type="password"
            autoComplete="off"
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
            placeholder={view.apiKey.set ? `${view.apiKey.masked} (type to replace)` : "not set"}
            data-testid="settings-api-key"
          />
          <span className={styles.hint}>
            {view.apiKey.set ? `Set from ${view.apiKey.source === "settings" ? "Settings" : view.apiKey.env}: ${view.apiKey.masked}. ` : `Not set (${view.apiKey.env}). `}
            Never shown again once saved.
            {view.apiKey.source === "settings" && (
              <>
                {" "}
                <button type="button" className="button" style={{ height: 22 }} onClick={() => save.mutate({ apiKey: null })} data-testid="settings-forget-key">
                  Forget saved key
                </button>
              </>
            )}
          </span>
        </Row>
        {LLM_ROLES.map((role) => (
          <Row key={role} label={`${role[0]!.toUpperCase()}${role.slice(1)} model`} htmlFor={`settings-model-${role}`}>
            <input
              id={`settings-model-${role}`}
              className="input input--mono"
              value={models[role]}
              onChange={(event) => setModels({ ...models, [role]: event.target.value })}
              placeholder={placeholder(view.models[role], "model name")}
              data-testid={`settings-model-${role}`}
            />
            <span className={styles.hint}>{ROLE_HINTS[role]}</span>
            <Source value={view.models[role]} />
          </Row>
        ))}
        <Row label="Test connection">
          <ConnectionTester view={view} unsaved={unsaved} />
        </Row>
      </div>
      <div className={styles.actions}>
        <button className="button button--primary" type="submit" disabled={save.isPending} data-testid="settings-save">
          {save.isPending ? "Saving…" : "Save"}
        </button>
        {save.isSuccess && !unsaved && (
          <span className={styles.saved} data-testid="settings-saved">
            Saved.
          </span>
        )}
        <span className={styles.hint}>An empty field falls back to its environment variable.</span>
      </div>
      {save.isError && <ErrorBox title="Cannot save the settings" error={save.error} />}
    </form>
  );
}

function Row({ label, htmlFor, children }: { label: string; htmlFor?: string; children: ReactNode }) {
  return (
    <div className={styles.row}>
      <label className={styles.label} htmlFor={htmlFor}>
        {label}
      </label>
      <div className={styles.field}>{children}</div>
    </div>
  );
}

function Source({ value }: { value: SettingValue }) {
  if (value.source === "settings") return <span className={styles.hint}>Saved in Settings (overrides {value.env}).</span>;
  if (value.source === "env") return <span className={styles.hint}>From {value.env}: {value.value}</span>;
  return <span className={styles.hint}>Not set ({value.env}).</span>;
}

function placeholder(value: SettingValue, fallback: string): string {
  return value.source === "env" ? value.value : fallback;
}
