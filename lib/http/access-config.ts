/**
 * Who may talk to the studio, from where it listens and the environment: the Host names it answers
 * to (defeats DNS rebinding), the origins allowed to send it writes, and whether a token is needed.
 *   AWM_STUDIO_AUTH=off            no token (refused when listening beyond loopback)
 *   AWM_STUDIO_ALLOWED_HOSTS=a,b:8080  more names the studio answers to (a name without port gets the studio's port)
 */
import { studioHome } from "../config/paths.ts";
import { studioTokenFile } from "./studio-token.ts";

/** Environment variables (process.env, or a test's own). */
export type Env = Readonly<Record<string, string | undefined>>;

export interface StudioListen {
  host: string;
  port: number;
}

export interface AccessConfig {
  listen: StudioListen;
  beyondLoopback: boolean;
  /** A token is needed for every request. */
  authRequired: boolean;
  tokenFile: string;
  /** Accepted Host header values, lower-case, with port ("127.0.0.1:3000"). */
  allowedHosts: string[];
  /** The address to open, without the token. */
  publicUrl: string;
}

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, "");
  return name === "localhost" || name === "::1" || /^127(\.\d{1,3}){3}$/.test(name);
}

/** Where the studio server listens: AWM_STUDIO_HOST (default 127.0.0.1) and PORT (default 3000). */
export function defaultListen(env: Env = process.env): StudioListen {
  return { host: env.AWM_STUDIO_HOST || "127.0.0.1", port: Number(env.PORT || 3000) };
}

export function accessConfig(listen: StudioListen = defaultListen(), env: Env = process.env, home = studioHome()): AccessConfig {
  const beyondLoopback = !isLoopbackHost(listen.host);
  const auth = (env.AWM_STUDIO_AUTH ?? "on").trim().toLowerCase();
  if (auth !== "on" && auth !== "off") throw new Error(`AWM_STUDIO_AUTH must be "on" or "off", not "${env.AWM_STUDIO_AUTH}"`);
  if (auth === "off" && beyondLoopback) {
    throw new Error(`AWM_STUDIO_AUTH=off is refused: the studio listens on ${listen.host}, beyond loopback, where every request needs the token`);
  }
  const withPort = (name: string) => (/:\d+$/.test(name) ? name : `${name}:${listen.port}`);
  const named = [
    ...LOOPBACK_NAMES,
    ...(beyondLoopback && !isWildcard(listen.host) ? [bracketed(listen.host)] : []),
    ...(env.AWM_STUDIO_ALLOWED_HOSTS ?? "").split(/[\s,]+/).filter(Boolean),
  ].map((name) => withPort(name.toLowerCase()));
  // Browsers leave the port out of Host on the default port.
  const allowedHosts = [...new Set(listen.port === 80 ? [...named, ...named.map((name) => name.replace(/:80$/, ""))] : named)];
  const publicName = beyondLoopback && !isWildcard(listen.host) ? bracketed(listen.host) : "127.0.0.1";
  return { listen, beyondLoopback, authRequired: auth === "on", tokenFile: studioTokenFile(home), allowedHosts, publicUrl: `http://${publicName}:${listen.port}/` };
}

export function isWildcard(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "[::]";
}

function bracketed(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
