import { parseArgs } from "node:util";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createInstance, instanceToolHost, stopInstance } from "../../instances/manager.ts";
import { createMcpServer, parseMcpView } from "../../mcp/server.ts";
import { UsageError, type CliIo } from "../output.ts";

export const mcpUsage = "awm-studio mcp <env-name> [--view awm]  serve a fresh instance over MCP on stdio";

/**
 * Serves one fresh instance of an environment over MCP on stdin/stdout until stdin closes, then
 * stops it. stdout carries only the protocol: everything else goes to stderr.
 */
export async function mcpCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { view: { type: "string" } } });
  const [environment] = positionals;
  if (!environment || positionals.length > 1) throw new UsageError(mcpUsage);
  const view = parseMcpView(values.view);
  const instance = await createInstance(environment, { idleStop: false });
  io.err(`awm-studio mcp: serving ${environment} (instance ${instance.id}, ${instance.sandboxed ? "sandboxed" : "NOT sandboxed"}, ${view} view) on stdio`);
  try {
    const server = createMcpServer(instanceToolHost(instance.id), view);
    const transport = new StdioServerTransport();
    const stdinClosed = new Promise<void>((resolve) => {
      process.stdin.once("end", resolve);
      process.stdin.once("close", resolve);
    });
    await server.connect(transport);
    await stdinClosed;
    await server.close();
  } finally {
    await stopInstance(instance.id);
  }
  io.err(`awm-studio mcp: stdin closed, instance ${instance.id} stopped`);
  return 0;
}
