/** "Test connection" on the settings page: one tiny chat call with a role's model, or the exact error. */
import { studioDb, type StudioTx } from "../store/db.ts";
import { llmCall } from "./client.ts";
import type { LlmRole } from "./settings.ts";
import { messageOf } from "../errors.ts";

export type ConnectionTest =
  | { ok: true; role: LlmRole; model: string; latencyMs: number; reply: string; llmCallId: string }
  | { ok: false; role: LlmRole; error: string };

export async function testLlmConnection(role: LlmRole, db: StudioTx = studioDb()): Promise<ConnectionTest> {
  try {
    const result = await llmCall(
      { role, stage: "settings-test", messages: [{ role: "user", content: "Reply with the single word: ok" }], maxTokens: 16, timeoutMs: 30_000, retries: 0 },
      db,
    );
    return { ok: true, role, model: result.model, latencyMs: result.latencyMs, reply: result.text.trim().slice(0, 200), llmCallId: result.llmCallId };
  } catch (error) {
    return { ok: false, role, error: messageOf(error) };
  }
}
