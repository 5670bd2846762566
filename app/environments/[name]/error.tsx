"use client";

import { ErrorBox } from "@/components/ui/error-box";

export default function EnvironmentError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <div className="page">
      <ErrorBox title="The environment page failed" error={error} />
      <div>
        <button type="button" className="button" onClick={reset}>
          Try again
        </button>
      </div>
    </div>
  );
}
