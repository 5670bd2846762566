/**
 * The API key never leaves the client: an endpoint may echo it (an error quoting the Authorization
 * header, a debugging proxy), so every text the studio keeps or shows from a call is scrubbed.
 */
import { maskKey, NO_API_KEY } from "./settings.ts";

/** The text with every occurrence of the key (as is, or escaped inside JSON) replaced by its masked form. */
export function redactKey(text: string, apiKey: string): string {
  if (apiKey === "" || apiKey === NO_API_KEY) return text;
  const masked = `[API key ${maskKey(apiKey)}]`;
  const forms = new Set([apiKey, JSON.stringify(apiKey).slice(1, -1)]);
  let out = text;
  for (const form of forms) out = out.split(form).join(masked);
  return out;
}
