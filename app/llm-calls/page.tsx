import { Suspense } from "react";
import { LlmCallsPage } from "@/components/llm/llm-calls-page";

export default function Page() {
  return (
    <Suspense>
      <LlmCallsPage />
    </Suspense>
  );
}
