"use client";

import { saveSelection } from "@/components/ui/saved-selection";
import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ExclusionResult } from "@/lib/library/exclusion";
import type { LibraryExportLink } from "@/lib/library/export-download";
import type { SelectionRegeneration } from "@/lib/pipeline/regenerate-selection";
import { plural } from "@/lib/plural";
import { PIPELINE_STAGES, type PipelineStage } from "@/lib/awm/types";
import { envKeys } from "@/components/query-keys";
import { fetchJson } from "@/components/ui/fetch-json";
import styles from "./library.module.css";
import { OptionSelect } from "@/components/ui/option-select";

type SelectionAction =
  | { action: "exclude"; note: string }
  | { action: "include" }
  | { action: "regenerate"; stage: PipelineStage; cascade: boolean }
  | { action: "export" };

type Outcome = { kind: "exclusion"; result: ExclusionResult } | { kind: "regeneration"; result: SelectionRegeneration } | { kind: "export"; environments: string[] };

async function act(environments: string[], request: SelectionAction): Promise<Outcome> {
  const post = <T,>() => fetchJson<T>("/api/library/selection", { method: "POST", body: JSON.stringify({ ...request, environments }) });
  if (request.action === "regenerate") return { kind: "regeneration", result: await post<SelectionRegeneration>() };
  if (request.action === "export") {
    const prepared = await post<LibraryExportLink>();
    // The tar is an attachment: the browser downloads it and the page stays.
    window.location.assign(prepared.download);
    return { kind: "export", environments: prepared.environments };
  }
  return { kind: "exclusion", result: await post<ExclusionResult>() };
}

function OutcomeLine({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === "export") return <>Downloading {outcome.environments.length} environment(s) in AWM format.</>;
  if (outcome.kind === "exclusion") {
    const { environments, excluded } = outcome.result;
    return <>{`${excluded ? "Excluded" : "Included"} ${environments.length} environment(s).`}</>;
  }
  const { jobs, refused } = outcome.result;
  return (
    <>
      Started {jobs.length} regeneration job(s): <Link href="/jobs">follow them on Jobs</Link>.
      {refused.length > 0 && ` Not started for ${refused.map((entry) => `${entry.environment} (${entry.error})`).join("; ")}.`}
    </>
  );
}

/** "K selected" and what can be done to them; the selection may include rows the filters hide (`hidden`). */
export function SelectionBar({ names, hidden, onClear }: { names: string[]; hidden: number; onClear: () => void }) {
  const queryClient = useQueryClient();
  const [stage, setStage] = useState<PipelineStage>("code");
  const [cascade, setCascade] = useState(false);
  const [note, setNote] = useState("");
  // Regenerating starts one LLM job per environment: it is asked twice, with what it will do.
  const [confirming, setConfirming] = useState(false);
  const mutation = useMutation({
    mutationFn: (request: SelectionAction) => act(names, request),
    onSuccess: (outcome) => {
      if (outcome.kind === "exclusion") void queryClient.invalidateQueries({ queryKey: envKeys.all });
    },
  });
  const busy = mutation.isPending;
  const router = useRouter();
  // The selection is saved and named by its id: a thousand names would not fit in the URL.
  const openInDatasets = useMutation({
    mutationFn: () => saveSelection(names),
    onSuccess: ({ id }) => router.push(`/datasets?${new URLSearchParams({ selection: id })}`),
  });
  return (
    <div className={styles.bar} data-testid="selection-bar">
      <span className={styles.barCount} data-testid="selection-count">
        {names.length.toLocaleString("en-US")} selected
      </span>
      {hidden > 0 && <span className="faint">({hidden.toLocaleString("en-US")} not shown by the filters)</span>}
      <button type="button" className="button" onClick={onClear} disabled={busy}>
        Clear
      </button>
      <span className={styles.barGroup}>
        <OptionSelect
          value={stage}
          options={PIPELINE_STAGES}
          onChange={(next) => {
            setStage(next);
            setConfirming(false);
          }}
          ariaLabel="Stage to regenerate"
          testId="selection-stage"
        />
        <label className="faint">
          <input
            type="checkbox"
            checked={cascade}
            onChange={(event) => {
              setCascade(event.target.checked);
              setConfirming(false);
            }}
          />{" "}
          and downstream
        </label>
        {confirming ? (
          <>
            <span data-testid="selection-regenerate-question">
              Regenerate {stage}
              {cascade ? " and every stage after it" : ""} in {plural(names.length, "environment")}, one LLM job each?
            </span>
            <button
              type="button"
              className="button button--primary"
              disabled={busy}
              onClick={() => {
                setConfirming(false);
                mutation.mutate({ action: "regenerate", stage, cascade });
              }}
              data-testid="selection-regenerate-confirm"
            >
              Start
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="button" disabled={busy} onClick={() => setConfirming(true)} data-testid="selection-regenerate">
            Regenerate…
          </button>
        )}
      </span>
      <span className={styles.barGroup}>
        <input className="input" placeholder="Note (why)" value={note} onChange={(event) => setNote(event.target.value)} aria-label="Exclusion note" data-testid="selection-note" />
        <button type="button" className="button" disabled={busy} onClick={() => mutation.mutate({ action: "exclude", note })} data-testid="selection-exclude">
          Exclude
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => mutation.mutate({ action: "include" })} data-testid="selection-include">
          Include
        </button>
      </span>
      <span className={styles.barGroup}>
        <button type="button" className="button" disabled={busy} onClick={() => mutation.mutate({ action: "export" })} data-testid="selection-export">
          Download AWM
        </button>
        <button type="button" className="button" disabled={busy || openInDatasets.isPending} onClick={() => openInDatasets.mutate()} data-testid="selection-datasets">
          Runs in Datasets
        </button>
      </span>
      {openInDatasets.isError && (
        <div className={styles.barResult} data-testid="selection-datasets-error">
          Failed: {openInDatasets.error.message}
        </div>
      )}
      {(mutation.isPending || mutation.isError || mutation.data) && (
        <div className={styles.barResult} data-testid="selection-result">
          {mutation.isPending ? "Working…" : mutation.isError ? `Failed: ${mutation.error.message}` : mutation.data && <OutcomeLine outcome={mutation.data} />}
        </div>
      )}
    </div>
  );
}
