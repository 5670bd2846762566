"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { ImportDefaults } from "@/lib/library/import-defaults";
import { importKeys } from "@/components/query-keys";
import { fetchJson } from "@/components/ui/fetch-json";
import styles from "./import.module.css";

function PathHint({ label, path, onPick }: { label: string; path: string; onPick: (path: string) => void }) {
  return (
    <div className={styles.formHint}>
      {label}:{" "}
      <button type="button" onClick={() => onPick(path)} title="Use this folder" data-testid="import-hint">
        {path}
      </button>
    </div>
  );
}

export function ImportForm({ running, onSubmit }: { running: boolean; onSubmit: (folder: string) => void }) {
  const [folder, setFolder] = useState("");
  const defaults = useQuery({ queryKey: importKeys.defaults(), queryFn: () => fetchJson<ImportDefaults>("/api/imports/defaults") });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (folder.trim() !== "") onSubmit(folder.trim());
  };

  return (
    <form className={styles.form} onSubmit={submit}>
      <label htmlFor="import-folder">
        <h2>Folder on the server</h2>
      </label>
      <div className="muted">
        A folder of AWM files (<code>gen_scenario.jsonl</code>, <code>gen_tasks.jsonl</code>, <code>gen_db.jsonl</code>, …). Re-importing the same folder only adds versions for what changed.
      </div>
      <div className={styles.formRow}>
        <input
          id="import-folder"
          className="input input--mono"
          placeholder="/path/to/awm/output"
          value={folder}
          onChange={(event) => setFolder(event.target.value)}
          data-testid="import-folder"
          autoComplete="off"
          spellCheck={false}
        />
        <button className="button button--primary" type="submit" disabled={running || folder.trim() === ""} data-testid="import-submit">
          {running ? "Importing…" : "Import"}
        </button>
      </div>
      {defaults.data && <PathHint label="Bundled starter library" path={defaults.data.starterLibrary} onPick={setFolder} />}
      {defaults.data?.samplesDir && <PathHint label="Samples (AWM_SAMPLES_DIR)" path={defaults.data.samplesDir} onPick={setFolder} />}
    </form>
  );
}
