/**
 * The API key never leaves the client: an endpoint may echo it (an error quoting the Authorization
 * header, a debugging proxy), so every text the studio keeps or shows from a call is scrubbed.
 */
import { maskKey } from "./settings.ts";

/**
 * Keys shorter than this are left as they are: such a key is no secret (a local server's
 * placeholder, like "x", or the studio's own NO_API_KEY), and replacing its every occurrence would
 * rewrite ordinary text, the model's own replies included. Providers' keys are tens of characters long.
 */
export const MIN_REDACTED_KEY_CHARS = 8;

/** The text with every occurrence of the key (as is, or escaped inside JSON) replaced by its masked form. */
export function redactKey(text: string, apiKey: string): string {
  if (apiKey.length < MIN_REDACTED_KEY_CHARS) return text;
  const masked = `[API key ${maskKey(apiKey)}]`;
  const forms = new Set([apiKey, JSON.stringify(apiKey).slice(1, -1)]);
  let out = text;
  for (const form of forms) out = out.split(form).join(masked);
  return out;
}
