-- An LLM call's page links to what it was for: the agent step it answered or the verdict it judged.
CREATE INDEX "TrajectoryStep_llmCallId_idx" ON "TrajectoryStep"("llmCallId");
CREATE INDEX "Verdict_llmCallId_idx" ON "Verdict"("llmCallId");
