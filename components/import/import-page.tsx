"use client";

import { ErrorBox } from "@/components/ui/error-box";
import { ImportForm } from "./import-form";
import { ImportProgressBar } from "./import-progress";
import { InterruptedImports } from "./interrupted-imports";
import { ImportReportView } from "./import-report";
import { useImportRun } from "./use-import-run";

export function ImportPage() {
  const { state, start, resume } = useImportRun();
  return (
    <div className="page">
      <div className="page__header">
        <div>
          <h1>Import</h1>
          <div className="page__subtitle">Bring a folder of AWM pipeline output into the library.</div>
        </div>
      </div>
      <ImportForm running={state.phase === "running"} onSubmit={(folder) => void start(folder)} />
      <InterruptedImports running={state.phase === "running"} onResume={(run) => void resume(run)} />
      {state.phase === "running" && <ImportProgressBar folder={state.folder} progress={state.progress} />}
      {state.phase === "failed" && <ErrorBox title="Import failed" error={state.error} />}
      {state.phase === "done" && <ImportReportView report={state.report} />}
    </div>
  );
}
