import { LlmCallsPage } from "@/components/llm/llm-calls-page";

export default function Page() {
  return <LlmCallsPage />;
}
