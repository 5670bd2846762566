/**
 * A scripted OpenAI-compatible server for tests: a real node:http server on 127.0.0.1 answering
 * POST /v1/chat/completions (non-streaming) with whatever the test's handler decides. The real
 * client and request path run; only the model's words are scripted. Route by the request body
 * (e.g. `body.metadata.stage`, the last user message) to serve several stages from one server.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { messageOf } from "../errors.ts";

export interface ScriptedUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

/** An OpenAI function call in the answer; `arguments` is the JSON text the model wrote. */
export interface ScriptedToolCall {
  id?: string;
  name: string;
  arguments: string;
}

export type ScriptedReply =
  | { content: string; toolCalls?: ScriptedToolCall[]; usage?: ScriptedUsage; model?: string }
  | { status: number; body: unknown }
  | { delayMs: number; then: ScriptedReply }
  | { hang: true };

export interface ScriptedRequest {
  // The test inspects whatever the client sent.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  path: string;
  headers: http.IncomingHttpHeaders;
}

export type ScriptedHandler = (req: ScriptedRequest) => ScriptedReply | Promise<ScriptedReply>;

export interface ScriptedLlm {
  /** Base URL for the OpenAI client, ending in /v1. */
  baseUrl: string;
  requests: ScriptedRequest[];
  close(): Promise<void>;
}

export async function startScriptedLlm(handler: ScriptedHandler): Promise<ScriptedLlm> {
  const requests: ScriptedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const request: ScriptedRequest = { body: parseBody(text), path: req.url ?? "", headers: req.headers };
      requests.push(request);
      if (req.method !== "POST" || !request.path.endsWith("/chat/completions")) {
        sendJson(res, 404, { error: { message: `scripted LLM serves POST /v1/chat/completions, not ${req.method} ${request.path}` } });
        return;
      }
      Promise.resolve()
        .then(() => handler(request))
        .then((reply) => sendReply(res, reply, request))
        .catch((error: unknown) => sendJson(res, 500, { error: { message: `scripted handler threw: ${messageOf(error)}` } }));
    });
  });
  // Hanging replies keep sockets open; close() must not wait for them.
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function sendReply(res: http.ServerResponse, reply: ScriptedReply, request: ScriptedRequest): Promise<void> {
  if ("hang" in reply) return;
  if ("delayMs" in reply) {
    await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (res.destroyed) return;
    return sendReply(res, reply.then, request);
  }
  if ("status" in reply) {
    sendJson(res, reply.status, reply.body);
    return;
  }
  const promptTokens = reply.usage?.prompt_tokens ?? 10;
  const completionTokens = reply.usage?.completion_tokens ?? Math.ceil(reply.content.length / 4);
  sendJson(res, 200, {
    id: `chatcmpl-scripted-${Date.now()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: reply.model ?? request.body?.model ?? "scripted",
    choices: [{ index: 0, message: assistantMessage(reply), finish_reason: reply.toolCalls?.length ? "tool_calls" : "stop", logprobs: null }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  });
}

function assistantMessage(reply: { content: string; toolCalls?: ScriptedToolCall[] }) {
  if (!reply.toolCalls?.length) return { role: "assistant", content: reply.content };
  const toolCalls = reply.toolCalls.map((call, index) => ({ id: call.id ?? `call_${index}`, type: "function", function: { name: call.name, arguments: call.arguments } }));
  return { role: "assistant", content: reply.content || null, tool_calls: toolCalls };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
