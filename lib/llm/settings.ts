/**
 * Where the studio's LLM calls go: an OpenAI-compatible base URL, an API key and a model per role.
 * Environment variables give the defaults; values saved in Settings (the Setting table) override them.
 */
import { studioDb, type StudioTx } from "../store/db.ts";
import { LLM_ROLES, type LlmRole } from "./roles.ts";

export { LLM_ROLES, type LlmRole };

export type SettingSource = "settings" | "env" | "unset";

interface Field {
  key: string;
  env: string;
}

const FIELDS = {
  baseUrl: { key: "llm.baseUrl", env: "OPENAI_BASE_URL" },
  apiKey: { key: "llm.apiKey", env: "OPENAI_API_KEY" },
  generator: { key: "llm.model.generator", env: "AWM_STUDIO_GEN_MODEL" },
  agent: { key: "llm.model.agent", env: "AWM_STUDIO_AGENT_MODEL" },
  judge: { key: "llm.model.judge", env: "AWM_STUDIO_JUDGE_MODEL" },
} satisfies Record<string, Field>;

type FieldName = keyof typeof FIELDS;

export interface SettingValue {
  value: string;
  source: SettingSource;
  /** The environment variable that gives the default. */
  env: string;
}

export interface LlmSettings {
  baseUrl: SettingValue;
  apiKey: SettingValue;
  models: Record<LlmRole, SettingValue>;
}

/** What the settings page may see: the key only masked. */
export interface LlmSettingsView {
  baseUrl: SettingValue;
  apiKey: { set: boolean; masked: string; source: SettingSource; env: string };
  models: Record<LlmRole, SettingValue>;
}

export interface LlmSettingsPatch {
  baseUrl?: string | null;
  /** A new key; "" or null forgets the saved one (the environment's applies again). */
  apiKey?: string | null;
  models?: Partial<Record<LlmRole, string | null>>;
}

export interface LlmTarget {
  role: LlmRole;
  baseUrl: string;
  apiKey: string;
  model: string;
}

export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";
/** Local servers (vLLM, Ollama) need no key, but the client refuses an empty one. */
export const NO_API_KEY = "no-key";

export class LlmNotConfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LlmNotConfiguredError";
  }
}

export async function loadLlmSettings(db: StudioTx = studioDb()): Promise<LlmSettings> {
  const rows = await db.setting.findMany({ where: { key: { in: Object.values(FIELDS).map((field) => field.key) } } });
  const saved = new Map(rows.map((row) => [row.key, row.value]));
  const read = (name: FieldName): SettingValue => {
    const field = FIELDS[name];
    const stored = saved.get(field.key);
    if (stored) return { value: stored, source: "settings", env: field.env };
    const fromEnv = process.env[field.env];
    return fromEnv ? { value: fromEnv, source: "env", env: field.env } : { value: "", source: "unset", env: field.env };
  };
  return {
    baseUrl: read("baseUrl"),
    apiKey: read("apiKey"),
    models: { generator: read("generator"), agent: read("agent"), judge: read("judge") },
  };
}

export function settingsView(settings: LlmSettings): LlmSettingsView {
  const { apiKey } = settings;
  return {
    baseUrl: settings.baseUrl,
    apiKey: { set: apiKey.value !== "", masked: maskKey(apiKey.value), source: apiKey.source, env: apiKey.env },
    models: settings.models,
  };
}

export function maskKey(key: string): string {
  if (key === "") return "";
  return key.length > 10 ? `${key.slice(0, 3)}…${key.slice(-4)}` : "•".repeat(8);
}

export async function saveLlmSettings(patch: LlmSettingsPatch, db: StudioTx = studioDb()): Promise<LlmSettingsView> {
  const changes: [FieldName, string | null | undefined][] = [
    ["baseUrl", patch.baseUrl],
    ["apiKey", patch.apiKey],
    ...LLM_ROLES.map((role): [FieldName, string | null | undefined] => [role, patch.models?.[role]]),
  ];
  for (const [name, value] of changes) {
    if (value === undefined) continue;
    const key = FIELDS[name].key;
    const trimmed = value?.trim() ?? "";
    if (trimmed === "") await db.setting.deleteMany({ where: { key } });
    else await db.setting.upsert({ where: { key }, create: { key, value: trimmed }, update: { value: trimmed } });
  }
  return settingsView(await loadLlmSettings(db));
}

/** Endpoint, key and model for a role, or a plain statement of what to configure. */
/** `modelOverride` (a run's `--model`) replaces the role's configured model. */
export async function resolveLlmTarget(role: LlmRole, db: StudioTx = studioDb(), modelOverride?: string): Promise<LlmTarget> {
  const settings = await loadLlmSettings(db);
  if (!settings.baseUrl.value && !settings.apiKey.value) {
    throw new LlmNotConfiguredError(
      `no LLM configured: set OPENAI_BASE_URL (any OpenAI-compatible endpoint) and/or OPENAI_API_KEY, or open Settings`,
    );
  }
  const model = settings.models[role];
  if (!modelOverride && !model.value) {
    throw new LlmNotConfiguredError(`no model configured for the ${role} role: set ${model.env} or choose one in Settings`);
  }
  return {
    role,
    baseUrl: settings.baseUrl.value || OPENAI_DEFAULT_BASE_URL,
    apiKey: settings.apiKey.value || NO_API_KEY,
    model: modelOverride || model.value,
  };
}
