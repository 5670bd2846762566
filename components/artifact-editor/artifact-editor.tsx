"use client";

import { useEffect, useRef, useState } from "react";
import { ErrorBox } from "@/components/ui/error-box";
import type { ArtifactChange } from "@/lib/pipeline/edit";
import { ArtifactMonaco } from "./artifact-monaco";
import { artifactDocuments, recordFromDocuments } from "./artifact-text";
import { CheckResult } from "./check-result";
import { useArtifactChange, useArtifactVersion, useArtifactVersions, useRecheck, type ArtifactRef } from "./use-artifact";
import { VersionList } from "./version-list";
import styles from "./artifact-editor.module.css";

type Outcome = { title: string; version: number; check: ArtifactChange["check"] };

/**
 * Edits one artifact: Monaco (or Monaco's diff against an earlier version, editable on the right),
 * Save as a new version with the stage's check re-run, and the version list with revert. A schema
 * is edited table by table as SQL (`initialDocument` opens one table); every other kind as one text.
 */
export function ArtifactEditor({ artifact, initialDocument, onClose }: { artifact: ArtifactRef; initialDocument?: string; onClose(): void }) {
  const versions = useArtifactVersions(artifact);
  const list = versions.data ?? [];
  const currentVersion = list[0]?.version ?? null;
  const current = useArtifactVersion(artifact, currentVersion);
  const [mode, setMode] = useState<"edit" | "diff">("edit");
  const [chosenBase, setChosenBase] = useState<number | null>(null);
  const [draft, setDraft] = useState<{ version: number; texts: Record<string, string> } | null>(null);
  const [chosenDocument, setChosenDocument] = useState(initialDocument);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const change = useArtifactChange(artifact);
  const recheck = useRecheck(artifact);
  const section = useRef<HTMLElement | null>(null);
  const loaded = current.data !== undefined;
  // The editor opens below the stage details: bring it into view once it has content.
  useEffect(() => {
    if (loaded) section.current?.scrollIntoView({ behavior: "smooth", block: "start" });
  }, [loaded]);

  const baseVersion = chosenBase !== null && chosenBase !== currentVersion ? chosenBase : (list[1]?.version ?? null);
  const base = useArtifactVersion(artifact, baseVersion);
  const label = `${artifact.kind}${artifact.key ? ` ${artifact.key}` : ""}`;

  if (versions.isError) return <ErrorBox title={`Could not load the versions of ${label}`} error={versions.error} />;
  if (current.isError) return <ErrorBox title={`Could not load ${label} v${currentVersion}`} error={current.error} />;
  if (versions.data && list.length === 0) return <div className="empty-state">{label} has no version yet: regenerate the stage first.</div>;
  if (!current.data || currentVersion === null) return <div className="faint">Loading {label}…</div>;

  const savedRecord = current.data.record;
  const documents = artifactDocuments(artifact.kind, savedRecord);
  const active = documents.find((candidate) => candidate.key === chosenDocument) ?? documents[0];
  if (!active) return <div className="empty-state">{label} v{currentVersion} has nothing to edit.</div>;
  // A draft belongs to the version it was started from; once another version is current it is dropped.
  const texts = draft?.version === currentVersion ? draft.texts : {};
  const edited = documents.filter((candidate) => texts[candidate.key] !== undefined && texts[candidate.key] !== candidate.text).map((candidate) => candidate.key);
  const text = texts[active.key] ?? active.text;
  const dirty = edited.length > 0;
  const busy = change.isPending || recheck.isPending;
  const baseText = base.data ? (artifactDocuments(artifact.kind, base.data.record).find((candidate) => candidate.key === active.key)?.text ?? "") : "";

  const apply = (request: Parameters<typeof change.mutate>[0], title: string) => {
    setOutcome(null);
    change.mutate(request, {
      onSuccess: (result) => {
        setDraft(null);
        setChosenBase(null);
        setOutcome({ title: result.created ? title : "No change; still", version: result.version, check: result.check });
      },
    });
  };
  /** The record the editor holds, or undefined (its parse error shown) when it does not read. */
  const editedRecord = () => {
    const parsed = recordFromDocuments(artifact.kind, savedRecord, Object.fromEntries(edited.map((key) => [key, texts[key] ?? ""])));
    setParseError("error" in parsed ? parsed.error : null);
    return "record" in parsed ? parsed.record : undefined;
  };
  const save = () => {
    const record = editedRecord();
    if (record !== undefined) apply({ action: "edit", record }, "Saved as");
  };
  // With an edit, what is checked is the edit (nothing saved); without one, the current version.
  const runCheck = () => {
    setOutcome(null);
    const record = dirty ? editedRecord() : undefined;
    if (dirty && record === undefined) return;
    recheck.mutate(record, { onSuccess: (result) => setOutcome({ title: result.draft ? "Checked your edit (not saved) of" : "Checked", version: result.version, check: result }) });
  };

  return (
    <section ref={section} className={styles.editor} data-testid="artifact-editor" data-kind={artifact.kind} data-version={currentVersion} data-document={active.key}>
      <header className={styles.header}>
        <div>
          <h3 className={styles.title}>
            Edit {label} <span className="faint">v{currentVersion}</span>
          </h3>
          <div className="faint">
            {documents.length > 1 && `${active.label}: CREATE TABLE and its indexes as SQL. `}
            Saving adds a version and re-runs the {artifact.kind} check; nothing is overwritten.
          </div>
        </div>
        <div className={styles.toolbar}>
          <div className="segmented" role="tablist">
            <button type="button" className={`segmented__item${mode === "edit" ? " segmented__item--active" : ""}`} onClick={() => setMode("edit")} data-testid="editor-mode-edit">
              Edit
            </button>
            <button
              type="button"
              className={`segmented__item${mode === "diff" ? " segmented__item--active" : ""}`}
              onClick={() => setMode("diff")}
              disabled={baseVersion === null}
              title={baseVersion === null ? "There is no earlier version" : undefined}
              data-testid="editor-mode-diff"
            >
              Diff{baseVersion !== null && ` vs v${baseVersion}`}
            </button>
          </div>
          <button type="button" className="button" onClick={() => setDraft(null)} disabled={!dirty || busy}>
            Discard
          </button>
          <button type="button" className="button" onClick={runCheck} disabled={busy} title={dirty ? "Checks your edit without saving it" : `Checks v${currentVersion} as saved`} data-testid="editor-check">
            {dirty ? "Check edit" : "Run check"}
          </button>
          <button type="button" className="button button--primary" onClick={save} disabled={!dirty || busy} data-testid="editor-save">
            {change.isPending ? "Saving…" : "Save version"}
          </button>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </header>
      {parseError && <ErrorBox title="Does not read" error={parseError} />}
      {change.isError && <ErrorBox title={`Could not change ${label}`} error={change.error} />}
      {recheck.isError && <ErrorBox title={`Could not check ${label}`} error={recheck.error} />}
      {outcome && <CheckResult {...outcome} />}
      <div className={styles.body}>
        <ArtifactMonaco
          key={active.key}
          mode={mode === "diff" && baseVersion !== null ? "diff" : "edit"}
          language={active.language}
          value={text}
          onChange={(next) => setDraft({ version: currentVersion, texts: { ...texts, [active.key]: next } })}
          original={baseText}
          modelPath={`${artifact.environment}/${label}${active.key ? `/${active.key}.sql` : ""}`}
        />
        <aside className={styles.side}>
          {documents.length > 1 && (
            <>
              <div className={styles.sideTitle}>Tables</div>
              <ul className={styles.documents} data-testid="editor-documents">
                {documents.map((candidate) => (
                  <li key={candidate.key}>
                    <button
                      type="button"
                      className={`${styles.documentItem}${candidate.key === active.key ? ` ${styles.documentActive}` : ""}`}
                      onClick={() => setChosenDocument(candidate.key)}
                      aria-current={candidate.key === active.key ? "true" : undefined}
                      data-testid="editor-document"
                      data-document={candidate.key}
                    >
                      <span className="mono">{candidate.label}</span>
                      {edited.includes(candidate.key) && <span className={styles.editedMark}>edited</span>}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <div className={styles.sideTitle}>Versions</div>
          <VersionList
            versions={list}
            comparedTo={mode === "diff" ? baseVersion : null}
            onCompare={(version) => {
              setChosenBase(version);
              setMode("diff");
            }}
            onRevert={(version) => apply({ action: "revert", version }, `Reverted to v${version}'s content as`)}
            busy={busy}
          />
        </aside>
      </div>
    </section>
  );
}
