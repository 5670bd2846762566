"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { ArtifactEditor } from "@/components/artifact-editor/artifact-editor";
import type { ArtifactRef } from "@/components/artifact-editor/use-artifact";
import { JobProgressBar } from "@/components/pipeline/job-progress";
import { envKeys, jobKeys, pipelineKeys } from "@/components/query-keys";
import { StageDetail } from "@/components/pipeline/stage-detail";
import { StageGraph, StageLegend } from "@/components/pipeline/stage-graph";
import { useJobStream } from "@/components/pipeline/use-job-stream";
import { useRegenerate, useStageStates } from "@/components/pipeline/use-pipeline";
import { useLlmReadiness } from "@/components/settings/use-llm-settings";
import styles from "@/components/pipeline/pipeline.module.css";
import { ErrorBox } from "@/components/ui/error-box";
import type { PipelineStage } from "@/lib/awm/types";
import { isPipelineStage } from "@/lib/pipeline/stages";

/**
 * The environment's generation pipeline: the stage graph (live over server-sent events while a
 * regeneration runs), the selected stage's attempts and actions, and the artifact editor.
 * `?edit=schema&table=` (schemaEditorHref) opens the schema editor at that table; `?stage=` selects a
 * stage (an LLM call's link to the attempt it was asked for).
 */
export function PipelineTab({ name }: { name: string }) {
  const client = useQueryClient();
  const states = useStageStates(name);
  const readiness = useLlmReadiness("generator");
  const regenerate = useRegenerate(name);
  const params = useSearchParams();
  const editSchema = params.get("edit") === "schema";
  const asked = params.get("stage");
  const [selected, setSelected] = useState<PipelineStage | null>(editSchema ? "schema" : asked !== null && isPipelineStage(asked) ? asked : null);
  const [editing, setEditing] = useState<ArtifactRef | null>(editSchema ? { environment: name, kind: "schema", key: "" } : null);
  const [startedJob, setStartedJob] = useState<string | null>(null);
  const [editTable, setEditTable] = useState<string | undefined>(undefined);

  const runningJob = states.data?.find((state) => state.state === "running")?.latestRun?.jobId ?? null;
  const jobId = startedJob ?? runningJob;
  const stream = useJobStream(jobId, {
    onChange: () => void client.invalidateQueries({ queryKey: pipelineKeys.stages(name) }),
    onDone: () => {
      setStartedJob(null);
      // A new version changes this environment's counts and health in the library list too.
      void client.invalidateQueries({ queryKey: envKeys.detail(name) });
      void client.invalidateQueries({ queryKey: envKeys.list() });
      void client.invalidateQueries({ queryKey: jobKeys.all });
    },
  });
  const jobActive = jobId !== null;

  if (states.isError) return <ErrorBox title={`Could not load the pipeline of ${name}`} error={states.error} />;
  if (!states.data) return <div className="faint">Loading the pipeline…</div>;
  const selectedState = states.data.find((state) => state.stage === selected);

  return (
    <div className={styles.tab} data-testid="pipeline-tab">
      {readiness?.ready === false && (
        <div className={styles.notice} role="status" data-testid="llm-not-configured">
          {readiness.reason} Regenerating needs a model; editing and reverting work without one. <Link href="/settings">Configure the LLM in Settings →</Link>
        </div>
      )}
      <div className={`card ${styles.graphCard}`}>
        <div className={styles.graphHead}>
          <div className={styles.sectionTitle}>Stages</div>
          <StageLegend />
        </div>
        <div className={styles.graphScroll}>
          <StageGraph states={states.data} selected={selected} onSelect={setSelected} />
        </div>
        {stream.progress && <JobProgressBar progress={stream.progress} />}
        {stream.reconnecting && (
          <div className={styles.notice} role="status" data-testid="job-stream-reconnecting">
            Lost the connection to the studio: trying again. The progress above is as it was last heard; a studio started again resumes the job.
          </div>
        )}
        {stream.error && <ErrorBox title="Lost track of the regeneration" error={stream.error} />}
        {regenerate.isError && <ErrorBox title="Could not start the regeneration" error={regenerate.error} />}
      </div>
      {selectedState ? (
        <StageDetail
          key={selectedState.stage}
          environment={name}
          state={selectedState}
          readiness={readiness}
          jobActive={jobActive}
          regenerating={regenerate.isPending}
          onRegenerate={(cascade) =>
            regenerate.mutate(
              { stage: selectedState.stage, cascade },
              {
                onSuccess: ({ jobId: started }) => {
                  setStartedJob(started);
                  void client.invalidateQueries({ queryKey: pipelineKeys.stages(name) });
                },
              },
            )
          }
          onEdit={(artifact) => {
            setEditing(artifact);
            // A broken schema opens at the table of its first problem, not at its first table.
            setEditTable(selectedState.problemTable);
          }}
        />
      ) : (
        <div className="faint">Select a stage to see its attempts, regenerate, edit or revert it.</div>
      )}
      {editing && (
        <ArtifactEditor
          key={`${editing.kind}/${editing.key}`}
          artifact={editing}
          initialDocument={editing.kind === "schema" ? (editTable ?? params.get("table") ?? undefined) : undefined}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}
