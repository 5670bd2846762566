import { studioDb, type StudioTx } from "../store/db.ts";
import { messageOf } from "../errors.ts";

/** USD per 1M tokens. */
export interface ModelPrice {
  inPerMillion: number;
  outPerMillion: number;
}

/** Setting holding a per-model price table: {"<model>": {"inPerMillion": 0.15, "outPerMillion": 0.6}}. */
export const PRICE_TABLE_SETTING = "pipeline.prices";

export type PriceLookup = (model: string) => ModelPrice;

/**
 * Prices from the settings table, else AWM_STUDIO_PRICE_IN / AWM_STUDIO_PRICE_OUT (per 1M tokens,
 * any model), else 0: an unknown price counts nothing rather than a guess, and costs are shown as
 * unknown while no price is set at all (pricesSet).
 */
export async function loadPrices(db: StudioTx = studioDb()): Promise<PriceLookup> {
  const table = await priceTable(db);
  const fallback = { inPerMillion: envPrice("AWM_STUDIO_PRICE_IN"), outPerMillion: envPrice("AWM_STUDIO_PRICE_OUT") };
  return (model) => {
    const entry = table[model];
    return { inPerMillion: entry?.inPerMillion ?? fallback.inPerMillion, outPerMillion: entry?.outPerMillion ?? fallback.outPerMillion };
  };
}

/** Whether any price is set (the table or the environment): else every cost is unknown, not $0. */
export async function pricesSet(db: StudioTx = studioDb()): Promise<boolean> {
  if (process.env.AWM_STUDIO_PRICE_IN !== undefined || process.env.AWM_STUDIO_PRICE_OUT !== undefined) return true;
  try {
    return Object.keys(await priceTable(db)).length > 0;
  } catch {
    return false; // a table that is not JSON sets no price
  }
}

/** The per-model table of the setting PRICE_TABLE_SETTING ({} without one); a setting that is not JSON is an error naming it. */
async function priceTable(db: StudioTx): Promise<Record<string, Partial<ModelPrice>>> {
  const row = await db.setting.findUnique({ where: { key: PRICE_TABLE_SETTING } });
  try {
    return row ? (JSON.parse(row.value) as Record<string, Partial<ModelPrice>>) : {};
  } catch (error) {
    throw new Error(`setting ${PRICE_TABLE_SETTING} is not JSON: ${messageOf(error)}`);
  }
}

export function costUsd(price: ModelPrice, promptTokens: number, completionTokens: number): number {
  return (promptTokens * price.inPerMillion + completionTokens * price.outPerMillion) / 1_000_000;
}

function envPrice(name: string): number {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && Number.isFinite(value) && value >= 0 ? value : 0;
}
