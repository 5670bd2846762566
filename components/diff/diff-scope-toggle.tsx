"use client";

export type DiffScope = "step" | "cumulative";

/** Tabs choosing a step's own database change or the change since the start (playtest and trajectory pages alike). */
export function DiffScopeToggle({ scope, onChange }: { scope: DiffScope; onChange: (scope: DiffScope) => void }) {
  return (
    <div className="segmented" role="tablist">
      {(["step", "cumulative"] as const).map((option) => (
        <button
          key={option}
          type="button"
          role="tab"
          aria-selected={scope === option}
          className={`segmented__item${scope === option ? " segmented__item--active" : ""}`}
          onClick={() => onChange(option)}
          data-testid={`diff-scope-${option}`}
        >
          {option === "step" ? "This step" : "Since the start"}
        </button>
      ))}
    </div>
  );
}
