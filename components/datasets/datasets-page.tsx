"use client";

import { saveSelection } from "@/components/ui/saved-selection";
import { verdictLabel } from "@/lib/awm/verdict";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorBox } from "@/components/ui/error-box";
import { fetchJson } from "@/components/ui/fetch-json";
import type { DatasetSummary } from "@/lib/export/dataset-summary";
import type { EnvironmentSummary } from "@/lib/store/environments";
import { datasetKeys, envKeys } from "@/components/query-keys";
import { RewardHistogram } from "@/components/rollouts/reward-histogram";
import { plural } from "@/lib/plural";
import { rewardText } from "@/lib/number-text";
import styles from "./datasets.module.css";

const FORMATS = [
  { value: "awm", label: "AWM run folders (tar)" },
  { value: "openai", label: "OpenAI chat JSONL" },
  { value: "trl", label: "TRL SFT + GRPO JSONL (tar)" },
  { value: "verl", label: "verl Parquet" },
  { value: "skyrl", label: "SkyRL Parquet" },
];

const breakdown = (counts: Record<string, number>, label: (key: string) => string = (key) => key) =>
  Object.entries(counts)
    .map(([key, count]) => `${label(key)} ${count.toLocaleString("en-US")}`)
    .join(" · ");

/**
 * `initialSelection` comes from `?selection=<id>` (the library's "Runs in Datasets"): a saved
 * selection (lib/library/saved-selection.ts). Picks are saved the same way, so no URL carries names.
 */
export function DatasetsPage({ initialSelection = "" }: { initialSelection?: string }) {
  // The saved selection the counts and the download read: "" for every included environment,
  // undefined while the picks are being saved (or failed to be): then nothing is counted.
  const [selection, setSelection] = useState<string | undefined>(initialSelection);
  const [picked, setPicked] = useState<string[] | undefined>(initialSelection ? undefined : []);
  const [curated, setCurated] = useState("0");
  const [format, setFormat] = useState("openai");
  const environments = useQuery({ queryKey: envKeys.list(), queryFn: () => fetchJson<EnvironmentSummary[]>("/api/environments") });
  const saved = useQuery({
    queryKey: datasetKeys.selection(initialSelection),
    queryFn: () => fetchJson<{ names: string[] }>(`/api/selections/${encodeURIComponent(initialSelection)}`),
    enabled: initialSelection !== "",
  });
  const envs = picked ?? saved.data?.names ?? [];
  // Saves may end out of order (quick picks): only the latest one's id is used.
  const latestSave = useRef(0);
  const save = useMutation({
    mutationFn: saveSelection,
  });
  const pick = (names: string[]) => {
    setPicked(names);
    const ticket = ++latestSave.current;
    setSelection(names.length === 0 ? "" : undefined);
    if (names.length > 0) save.mutate(names, { onSuccess: ({ id }) => ticket === latestSave.current && setSelection(id) });
  };
  const query = { selection: selection ?? "", curated };
  const summary = useQuery({
    queryKey: datasetKeys.summary(query),
    queryFn: () => fetchJson<DatasetSummary>(`/api/datasets?${new URLSearchParams(query)}`),
    enabled: selection !== undefined,
  });
  const download = `/api/datasets/download?${new URLSearchParams({ ...query, format })}`;
  return (
    <div className="page">
      <div className="page__header">
        <div>
          <h1>Datasets</h1>
          <div className="page__subtitle">Runs (imported, playtests, agent rollouts) in the format your trainer reads. The CLI does the same: awm-studio export-runs.</div>
        </div>
      </div>
      <div className={styles.controls}>
        <div>
          <label className={styles.field}>
            Environments (none selected: all but excluded)
            <select
              multiple
              className={`input ${styles.envs}`}
              value={envs}
              onChange={(event) => pick([...event.target.selectedOptions].map((option) => option.value))}
              data-testid="datasets-envs"
            >
              {environments.data?.map((env) => (
                <option key={env.name} value={env.name}>
                  {env.excluded ? `${env.name} (excluded)` : env.name}
                </option>
              ))}
            </select>
          </label>
          <label className={styles.field}>
            Tasks
            <select className="input" value={curated} onChange={(event) => setCurated(event.target.value)} data-testid="datasets-status">
              <option value="0">Every task</option>
              <option value="1">Curated tasks only</option>
            </select>
          </label>
          <label className={styles.field}>
            Format
            <select className="input" value={format} onChange={(event) => setFormat(event.target.value)} data-testid="datasets-format">
              {FORMATS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div>
          {environments.isError && <ErrorBox title="Cannot load the environments" error={environments.error} />}
          {saved.isError && <ErrorBox title="Cannot open the selection" error={saved.error} />}
          {save.isError && <ErrorBox title="Cannot select these environments" error={save.error} />}
          {envs.length > 0 && (
            <div className={styles.breakdown} data-testid="datasets-selected">
              {plural(envs.length, "environment")} selected
            </div>
          )}
          {summary.isError && <ErrorBox title="Cannot count the runs" error={summary.error} />}
          {selection !== undefined && summary.data?.runs === 0 && <EmptyState title="No judged runs in this selection">Import a run, playtest a task or start a rollout; once judged, they appear here.</EmptyState>}
          {summary.data && summary.data.runs > 0 && selection !== undefined && (
            <>
              <div className={styles.counts} data-testid="datasets-counts">
                <div className={styles.count}>
                  <strong>{summary.data.runs.toLocaleString("en-US")}</strong> runs
                </div>
                <div className={styles.count}>
                  <strong>{summary.data.tasks.toLocaleString("en-US")}</strong> tasks
                </div>
                <div className={styles.count}>
                  <strong>{summary.data.environments.toLocaleString("en-US")}</strong> environments
                </div>
              </div>
              <div className={styles.breakdown}>By source: {breakdown(summary.data.bySource)}</div>
              <div className={styles.breakdown}>By verdict: {breakdown(summary.data.byClassification, verdictLabel)}</div>
              {summary.data.unjudged > 0 && (
                <div className={styles.breakdown} data-testid="datasets-unjudged">
                  Left out: {plural(summary.data.unjudged, "run")} without a reward (not judged, judging failed, or still in play).
                </div>
              )}
              {(format === "openai" || format === "trl") && summary.data.toolsFromSpec.length > 0 && (
                <div className={styles.breakdown} data-testid="datasets-tools-from-spec">
                  Tools from the spec for {plural(summary.data.toolsFromSpec.length, "environment")} ({summary.data.toolsFromSpec.join(", ")}): no instance of their current code has run here, so what
                  it serves, and agents were given, is not known. Start an instance (a playtest will do) to record it.
                </div>
              )}
              <RewardHistogram bins={summary.data.rewards.map((bar) => ({ reward: rewardText(bar.reward), count: bar.runs }))} label="Runs per reward" unit="runs" />
              <a className="button button--primary" href={download} download data-testid="datasets-download">
                Download
              </a>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
