-- The LLM calls list says which stage attempt each call was asked for (lib/llm/calls.ts): looked up
-- by the call, as steps and verdicts are.
CREATE INDEX "StageAttempt_llmCallId_idx" ON "StageAttempt"("llmCallId");
