import type { ReactNode } from "react";

export type BadgeTone = "neutral" | "ok" | "warning" | "error" | "info";

export function Badge({ tone = "neutral", dot = false, children, testId }: { tone?: BadgeTone; dot?: boolean; children: ReactNode; testId?: string }) {
  const toneClass = tone === "neutral" ? "" : ` badge--${tone}`;
  return (
    <span className={`badge${toneClass}`} data-testid={testId}>
      {dot && <span className="badge__dot" />}
      {children}
    </span>
  );
}
