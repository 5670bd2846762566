"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { PlaytestSession } from "@/lib/playtest/session";
import { ErrorBox } from "@/components/ui/error-box";
import { fetchJson } from "@/components/ui/fetch-json";
import styles from "./playtest.module.css";

/** Starts a playtest (instance + trajectory) once, then replaces the URL with the session's own. */
export function StartPlaytest({ environment, taskIdx }: { environment: string; taskIdx: number }) {
  const router = useRouter();
  const [error, setError] = useState<unknown>(null);
  // A remount in development must not start a second instance.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    fetchJson<PlaytestSession>("/api/playtest", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ environment, taskIdx }) })
      .then((session) => router.replace(playtestHref(session)))
      .catch(setError);
  }, [environment, taskIdx, router]);
  return (
    <div className={`page ${styles.starting}`} data-testid="playtest-starting">
      <h1 className={styles.task}>
        Playtest <span className="mono">{environment}</span> task #{taskIdx}
      </h1>
      {error ? <ErrorBox title="Could not start the playtest" error={error} /> : <p className="faint">Starting an instance of the environment…</p>}
    </div>
  );
}

export function playtestHref(session: PlaytestSession): string {
  return `/playtest/${encodeURIComponent(session.trajectoryId)}?instance=${encodeURIComponent(session.instanceId)}`;
}
