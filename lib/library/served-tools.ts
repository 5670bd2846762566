/**
 * The tools an environment's code serves: its OpenAPI catalog as the MCP server lists it and agents
 * are given it (name, description, JSON Schema of the arguments). The spec (gen_spec.jsonl) says what
 * the code should serve and may differ from it; trainers' rows should carry what the agent saw. The
 * studio learns the catalog only by starting the code, so the first instance start of each code
 * records it, keyed by the code's hash; a stored catalog of other code is never used.
 */
import type { CodeRecord } from "../awm/types.ts";
import type { Tool } from "../runtime/tool-catalog.ts";
import { artifactContent } from "../store/artifacts.ts";
import { studioDb, type StudioTx } from "../store/db.ts";

export type ServedTool = Pick<Tool, "name" | "description" | "inputSchema">;

interface ServedTools {
  key: string;
  tools: ServedTool[];
}

/** The code's key: its artifact's content hash, so that which environments lack their current code's catalog is one query (environmentsWithoutServedTools). */
export function servedToolsKey(code: CodeRecord): string {
  return artifactContent(code).contentHash;
}

/** Records the catalog an instance of `code` serves, unless this code's is recorded already. */
export async function recordServedTools(environmentId: string, code: CodeRecord, tools: readonly ServedTool[], db: StudioTx = studioDb()): Promise<void> {
  const key = servedToolsKey(code);
  const row = await db.environment.findUnique({ where: { id: environmentId }, select: { servedTools: true } });
  if (!row || parsed(row.servedTools)?.key === key) return;
  const served: ServedTools = { key, tools: tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })) };
  await db.environment.update({ where: { id: environmentId }, data: { servedTools: JSON.stringify(served) } });
}

/** The catalog `code` serves as recorded, or undefined when no instance of this very code has run. */
export function servedToolsOf(stored: string, code: CodeRecord | undefined): ServedTool[] | undefined {
  const served = parsed(stored);
  return code && served?.key === servedToolsKey(code) ? served.tools : undefined;
}

function parsed(stored: string): ServedTools | undefined {
  if (!stored) return undefined;
  try {
    return JSON.parse(stored) as ServedTools;
  } catch {
    return undefined;
  }
}

/** Of these environments, those no instance of the current code has run for (its catalog is unknown), by name, sorted. */
export async function environmentsWithoutServedTools(names: readonly string[], db: StudioTx = studioDb()): Promise<string[]> {
  const environments = await db.environment.findMany({ where: { name: { in: [...names] } }, select: { id: true, name: true, servedTools: true } });
  const codes = await db.artifactVersion.findMany({
    where: { environmentId: { in: environments.map((environment) => environment.id) }, kind: "code", key: "" },
    orderBy: { version: "desc" },
    select: { environmentId: true, contentHash: true },
  });
  const currentHash = new Map<string, string>();
  for (const code of codes) if (!currentHash.has(code.environmentId)) currentHash.set(code.environmentId, code.contentHash);
  return environments
    .filter((environment) => {
      const hash = currentHash.get(environment.id);
      return hash === undefined || parsed(environment.servedTools)?.key !== hash;
    })
    .map((environment) => environment.name)
    .sort();
}
