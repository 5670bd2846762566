import { fetchJson } from "@/components/ui/fetch-json";

/** Saves environments as one selection (lib/library/saved-selection.ts) → its id, for `/datasets?selection=<id>`. */
export function saveSelection(names: string[]): Promise<{ id: string }> {
  return fetchJson<{ id: string }>("/api/selections", { method: "POST", body: JSON.stringify({ names }) });
}
