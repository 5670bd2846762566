/**
 * The studio's HTTP server: Next serves every page and route, except the instances' MCP endpoints,
 * which agents call once per tool call. Those are answered here directly, without Next's
 * per-request routing (about 2 ms here), by the same lib function the Next route uses.
 * Run: node --import tsx scripts/studio-server.ts --host 127.0.0.1 --port 3000 (NEXT_DIST_DIR picks the build).
 */
import http from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { projectRoot } from "../lib/config/paths.ts";
import { errorResponse } from "../lib/http/handler.ts";
import { sendWebResponse, toWebRequest } from "../lib/http/node-adapter.ts";
import { mcpEndpoint, mcpEndpointInstance } from "../lib/mcp/endpoint.ts";

const { values } = parseArgs({ options: { host: { type: "string", default: "127.0.0.1" }, port: { type: "string", default: "3000" } } });
const hostname = values.host;
const port = Number(values.port);

const app = next({ dev: false, dir: projectRoot(), hostname, port });
const handleWithNext = app.getRequestHandler();
await app.prepare();

async function serveMcp(incoming: http.IncomingMessage, outgoing: http.ServerResponse, instanceId: string): Promise<void> {
  const response = await toWebRequest(incoming)
    .then((request) => mcpEndpoint(request, instanceId))
    .catch(errorResponse);
  await sendWebResponse(response, outgoing);
}

const server = http.createServer((incoming, outgoing) => {
  const instanceId = mcpEndpointInstance(new URL(incoming.url ?? "/", "http://studio").pathname);
  const served = instanceId ? serveMcp(incoming, outgoing, instanceId) : handleWithNext(incoming, outgoing);
  served.catch((error: unknown) => {
    console.error(error);
    if (!outgoing.headersSent) outgoing.writeHead(500);
    outgoing.end();
  });
});

server.listen(port, hostname, () => console.log(`AWM Studio serving http://${hostname}:${port}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  // Exiting runs the instance manager's exit hook, which stops every environment process.
  process.once(signal, () => server.close(() => process.exit(0)));
}
