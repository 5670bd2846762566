/**
 * For commands that act on the running studio (its instances live in the server's process): JSON
 * over HTTP with the studio's bearer token, at the address the running server wrote (see
 * studio-address.ts; `AWM_STUDIO_URL` overrides it).
 */
import { accessConfig } from "../http/access-config.ts";
import { studioBaseUrl } from "../http/studio-address.ts";
import { readStudioToken } from "../http/studio-token.ts";
import { messageOf } from "../errors.ts";

export async function postToStudio<T>(pathname: string, body: unknown): Promise<T> {
  const access = accessConfig();
  const url = new URL(pathname, studioBaseUrl(access.publicUrl));
  const token = readStudioToken(access.tokenFile);
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  }).catch((error: unknown) => {
    throw new Error(`no studio answers at ${url.origin} (${messageOf(error)}): start it with \`npm start\`, or set AWM_STUDIO_URL`);
  });
  const answer = (await response.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}: ${answer?.error?.message ?? response.statusText}`);
  return answer as T;
}
