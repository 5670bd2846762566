/** What `awm-studio doctor` reports about access to the studio: the same settings the server uses. */
import fs from "node:fs";
import { studioHome } from "../config/paths.ts";
import { accessConfig, defaultListen, isWildcard, type Env, type StudioListen } from "./access-config.ts";
import { messageOf } from "../errors.ts";

export interface AccessStatus {
  listen: StudioListen;
  beyondLoopback: boolean;
  auth: "on" | "off";
  tokenFile: string;
  /** "0600", or undefined before the first start made it. */
  tokenFileMode: string | undefined;
  homeMode: string | undefined;
  allowedHosts: string[];
  /** Settings that are refused or weaker than they should be, one a line. */
  problems: string[];
}

export function accessStatus(listen: StudioListen = defaultListen(), env: Env = process.env, home = studioHome()): AccessStatus {
  const problems: string[] = [];
  let config;
  try {
    config = accessConfig(listen, env, home);
  } catch (error) {
    problems.push(messageOf(error));
    config = accessConfig(listen, { ...env, AWM_STUDIO_AUTH: "on" }, home);
  }
  const tokenFileMode = fileMode(config.tokenFile);
  const homeMode = fileMode(home);
  if (isWildcard(listen.host) && !env.AWM_STUDIO_ALLOWED_HOSTS) {
    problems.push(`listening on ${listen.host}: clients on other machines must use a name in AWM_STUDIO_ALLOWED_HOSTS (the Host they send), or are refused`);
  }
  if (!config.authRequired) problems.push("auth is off (AWM_STUDIO_AUTH=off): any local process and any web page that reaches loopback can drive the studio");
  if (tokenFileMode !== undefined && tokenFileMode !== "0600") problems.push(`${config.tokenFile} has mode ${tokenFileMode}, not 0600`);
  if (homeMode !== undefined && homeMode !== "0700") problems.push(`${home} has mode ${homeMode}: other users may read the studio's files (the next start narrows it to 0700)`);
  return {
    listen,
    beyondLoopback: config.beyondLoopback,
    auth: config.authRequired ? "on" : "off",
    tokenFile: config.tokenFile,
    tokenFileMode,
    homeMode,
    allowedHosts: config.allowedHosts,
    problems,
  };
}

function fileMode(file: string): string | undefined {
  try {
    return `0${(fs.statSync(file).mode & 0o777).toString(8).padStart(3, "0")}`;
  } catch {
    return undefined;
  }
}
