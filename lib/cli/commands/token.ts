import { parseArgs } from "node:util";
import { accessConfig } from "../../http/access-config.ts";
import { studioBaseUrl } from "../../http/studio-address.ts";
import { ensureStudioToken } from "../../http/studio-token.ts";
import type { CliIo } from "../output.ts";

export const tokenUsage = "awm-studio token [--raw]   print the studio's access URL and bearer token (--raw: the token only)";

/** The token the studio server uses (made now if the studio has never started), as a URL to open. */
export async function tokenCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { raw: { type: "boolean" } } });
  const access = accessConfig();
  const token = ensureStudioToken(access.tokenFile);
  if (values.raw) {
    io.out(token);
    return 0;
  }
  // The running studio's own address when one runs (it may have started on another port), else this machine's settings.
  io.out(`open:   ${new URL(`?token=${token}`, studioBaseUrl(access.publicUrl)).toString()}`);
  io.out(`header: Authorization: Bearer ${token}   (API, MCP and CLI-over-HTTP clients)`);
  if (!access.authRequired) io.out("note:   AWM_STUDIO_AUTH=off here, so the studio does not ask for it on loopback");
  return 0;
}
