"use client";

import type { InstanceInfo } from "@/lib/instances/manager";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import styles from "./playtest.module.css";

const TONES: Record<InstanceInfo["status"], BadgeTone> = { starting: "info", running: "ok", stopped: "neutral", crashed: "error" };

/** The instance's status badge, plus why it crashed (with the process's last output) or that it runs unsandboxed. */
export function InstanceStatus({ instance, error }: { instance: InstanceInfo | null; error?: string }) {
  if (!instance) {
    return (
      <div className={styles.instanceProblem} data-testid="instance-status" data-status="gone">
        <Badge tone="error" dot>
          instance gone
        </Badge>
        <span>{error}</span>
      </div>
    );
  }
  return (
    <div className={styles.instanceStatus} data-testid="instance-status" data-status={instance.status}>
      <Badge tone={TONES[instance.status]} dot>
        instance {instance.status}
      </Badge>
      <span className="mono faint">{instance.id}</span>
      {!instance.sandboxed && (
        <span title="bubblewrap was not available: the environment's code runs with this machine's network and files" data-testid="unsandboxed-warning">
          <Badge tone="warning">not sandboxed</Badge>
        </span>
      )}
      {instance.status === "stopped" && instance.exitReason && <span className="faint">{instance.exitReason}</span>}
    </div>
  );
}

export function InstanceCrash({ instance }: { instance: InstanceInfo }) {
  return (
    <div className="error-box" role="alert" data-testid="instance-crash">
      <div className="error-box__title">The environment crashed: {instance.exitReason ?? "no reason recorded"}</div>
      {instance.stderrTail && <pre className={`error-box__message mono ${styles.stderr}`}>{instance.stderrTail}</pre>}
    </div>
  );
}
