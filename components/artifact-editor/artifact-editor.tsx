"use client";

import { useEffect, useRef, useState } from "react";
import { ErrorBox } from "@/components/ui/error-box";
import type { ArtifactChange } from "@/lib/pipeline/edit";
import { ArtifactMonaco } from "./artifact-monaco";
import { artifactLanguage, artifactText, recordFromText } from "./artifact-text";
import { CheckResult } from "./check-result";
import { useArtifactChange, useArtifactVersion, useArtifactVersions, useRecheck, type ArtifactRef } from "./use-artifact";
import { VersionList } from "./version-list";
import styles from "./artifact-editor.module.css";

type Outcome = { title: string; version: number; check: ArtifactChange["check"] };

/**
 * Edits one artifact: Monaco (or Monaco's diff against an earlier version, editable on the right),
 * Save as a new version with the stage's check re-run, and the version list with revert.
 */
export function ArtifactEditor({ artifact, onClose }: { artifact: ArtifactRef; onClose(): void }) {
  const versions = useArtifactVersions(artifact);
  const list = versions.data ?? [];
  const currentVersion = list[0]?.version ?? null;
  const current = useArtifactVersion(artifact, currentVersion);
  const [mode, setMode] = useState<"edit" | "diff">("edit");
  const [chosenBase, setChosenBase] = useState<number | null>(null);
  const [draft, setDraft] = useState<{ version: number; text: string } | null>(null);
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
  const savedText = artifactText(artifact.kind, savedRecord);
  // A draft belongs to the version it was started from; once another version is current it is dropped.
  const text = draft?.version === currentVersion ? draft.text : savedText;
  const dirty = text !== savedText;
  const busy = change.isPending || recheck.isPending;

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
  const save = () => {
    const parsed = recordFromText(artifact.kind, savedRecord, text);
    setParseError("error" in parsed ? parsed.error : null);
    if ("record" in parsed) apply({ action: "edit", record: parsed.record }, "Saved as");
  };
  const runCheck = () => {
    setOutcome(null);
    recheck.mutate(undefined, { onSuccess: (result) => setOutcome({ title: "Checked", version: result.version, check: result }) });
  };

  return (
    <section ref={section} className={styles.editor} data-testid="artifact-editor" data-kind={artifact.kind} data-version={currentVersion}>
      <header className={styles.header}>
        <div>
          <h3 className={styles.title}>
            Edit {label} <span className="faint">v{currentVersion}</span>
          </h3>
          <div className="faint">Saving adds a version and re-runs the {artifact.kind} check; nothing is overwritten.</div>
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
          <button type="button" className="button" onClick={runCheck} disabled={busy}>
            Run check
          </button>
          <button type="button" className="button button--primary" onClick={save} disabled={!dirty || busy} data-testid="editor-save">
            {change.isPending ? "Saving…" : "Save version"}
          </button>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </header>
      {parseError && <ErrorBox title="Not saved" error={parseError} />}
      {change.isError && <ErrorBox title={`Could not change ${label}`} error={change.error} />}
      {recheck.isError && <ErrorBox title={`Could not check ${label}`} error={recheck.error} />}
      {outcome && <CheckResult {...outcome} />}
      <div className={styles.body}>
        <ArtifactMonaco
          mode={mode === "diff" && baseVersion !== null ? "diff" : "edit"}
          language={artifactLanguage(artifact.kind)}
          value={text}
          onChange={(next) => setDraft({ version: currentVersion, text: next })}
          original={base.data ? artifactText(artifact.kind, base.data.record) : ""}
          modelPath={`${artifact.environment}/${label}`}
        />
        <aside className={styles.side}>
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
