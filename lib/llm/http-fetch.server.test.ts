/**
 * What an endpoint can do to the studio's model client, performed by real loopback servers against
 * the real OpenAI client and llmCall: answers over the cap (declared, streamed, or a compression
 * bomb), a body trickled past the timeout, a protocol upgrade, an invalid status, a redirect,
 * compressed answers nobody asked for, and a kept-alive connection reset as it is reused.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { after, test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";

useTempStudioHome("awm-http-fetch-");
const { closeStudioDb, studioDb } = await import("../store/db.ts");
const { llmCall, LlmCallError } = await import("./client.ts");
const { MAX_ANSWER_BYTES } = await import("./http-fetch.ts");

after(() => closeStudioDb());

const COMPLETION = JSON.stringify({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 0,
  model: "m",
  choices: [{ index: 0, message: { role: "assistant", content: "fine" }, finish_reason: "stop", logprobs: null }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A loopback endpoint whose every request is answered by `handler` once its body is read. */
async function withEndpoint(handler: Handler, run: (baseUrl: string, server: http.Server) => Promise<void>): Promise<void> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, server);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function ask(baseUrl: string, timeoutMs = 10_000, retries = 0) {
  return llmCall({
    role: "generator",
    target: { role: "generator", baseUrl, apiKey: "test-key", model: "m" },
    stage: "http_fetch_test",
    messages: [{ role: "user", content: "hello" }],
    retries,
    timeoutMs,
  });
}

async function refusal(baseUrl: string, timeoutMs?: number, retries?: number): Promise<string> {
  const error = await ask(baseUrl, timeoutMs, retries).then(
    () => assert.fail("the call succeeded"),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof LlmCallError, `not an LlmCallError: ${String(error)}`);
  const row = await studioDb().llmCall.findUnique({ where: { id: error.llmCallId } });
  assert.equal(row?.error, error.message, "the refusal is recorded as the call's error");
  return error.message;
}

test("an answer declaring a length over the cap is refused before its body is read", async () => {
  await withEndpoint(
    (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(MAX_ANSWER_BYTES + 1) });
      res.write("{");
    },
    async (baseUrl) => assert.match(await refusal(baseUrl), new RegExp(`over ${MAX_ANSWER_BYTES} bytes \\(Content-Length ${MAX_ANSWER_BYTES + 1}\\)`)),
  );
});

test("an answer streamed past the cap without a length is refused at the cap", async () => {
  let sent = 0;
  await withEndpoint(
    (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(1024 * 1024, " ");
      const pump = () => {
        while (!res.destroyed && sent <= MAX_ANSWER_BYTES * 2) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    },
    async (baseUrl) => {
      assert.match(await refusal(baseUrl), new RegExp(`over ${MAX_ANSWER_BYTES} bytes: refused`));
      assert.ok(sent < MAX_ANSWER_BYTES * 2, `the endpoint sent ${sent} bytes: the studio kept reading past the cap`);
    },
  );
});

test("compressed answers are decoded (gzip, brotli, deflate with or without its header); one that decompresses past the cap is refused, and not asked again", async () => {
  const bomb = zlib.gzipSync(Buffer.alloc(MAX_ANSWER_BYTES + 1024, " "));
  assert.ok(bomb.length < 100_000, "the bomb is small on the wire");
  let answer = { encoding: "gzip", body: zlib.gzipSync(COMPLETION) };
  let requests = 0;
  await withEndpoint(
    (_req, res) => {
      requests++;
      res.writeHead(200, { "content-type": "application/json", "content-encoding": answer.encoding, "content-length": answer.body.length });
      res.end(answer.body);
    },
    async (baseUrl) => {
      assert.equal((await ask(baseUrl)).text, "fine");
      for (const [encoding, body] of [["br", zlib.brotliCompressSync(COMPLETION)], ["deflate", zlib.deflateSync(COMPLETION)], ["deflate", zlib.deflateRawSync(COMPLETION)]] as const) {
        answer = { encoding, body };
        assert.equal((await ask(baseUrl)).text, "fine", encoding);
      }
      answer = { encoding: "gzip", body: bomb };
      requests = 0;
      assert.match(await refusal(baseUrl, undefined, 2), new RegExp(`over ${MAX_ANSWER_BYTES} bytes once decompressed`));
      assert.equal(requests, 1, "an answer that cannot be used is not asked for again");
    },
  );
});

test("the call's timeout covers the body: headers at once, then a trickle, is timed out", async () => {
  const started = performance.now();
  await withEndpoint(
    (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(" ")), 50);
    },
    async (baseUrl) => assert.match(await refusal(baseUrl, 400), /timed out/i),
  );
  assert.ok(performance.now() - started < 5_000, "the trickle was not cut at the timeout");
});

test("a status outside HTTP's range is named", async () => {
  await withEndpoint(
    (req, res) => {
      req.socket.end(`HTTP/1.1 999 Odd\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(COMPLETION)}\r\n\r\n${COMPLETION}`);
      res.destroy();
    },
    async (baseUrl) => assert.match(await refusal(baseUrl), /answered with HTTP status 999/),
  );
});

test("a redirect is not followed: the error names where it points, and it is not asked again", async () => {
  let requests = 0;
  await withEndpoint(
    (_req, res) => {
      requests++;
      res.writeHead(307, { location: "https://models.example/v1/chat/completions" });
      res.end();
    },
    async (baseUrl) => {
      assert.match(await refusal(baseUrl, undefined, 2), /redirects \(HTTP 307\) to https:\/\/models\.example\/v1\/chat\/completions: redirects are not followed/);
      assert.equal(requests, 1);
    },
  );
});

test("an answer switching protocols (101 with Upgrade), which Node drops without an event, fails at once instead of hanging", async () => {
  const started = performance.now();
  await withEndpoint(
    (req, res) => {
      req.socket.write("HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n");
      res.detachSocket(req.socket);
    },
    async (baseUrl) => assert.match(await refusal(baseUrl, 60_000), /connection closed before the endpoint's answer was complete/),
  );
  assert.ok(performance.now() - started < 10_000, "the call waited for its timeout");
});

test("a kept-alive connection reset as it is reused fails that try, recorded, and the call's own retry succeeds on a new connection", async () => {
  const requestsBySocket = new Map<unknown, number>();
  process.env.AWM_STUDIO_LLM_BACKOFF_MS = "10";
  try {
    await withEndpoint(
      (req, res) => {
        const count = (requestsBySocket.get(req.socket) ?? 0) + 1;
        requestsBySocket.set(req.socket, count);
        // The second request on a connection finds it reset, as when the server dropped it idle.
        if (count > 1) return void req.socket.resetAndDestroy();
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(COMPLETION) });
        res.end(COMPLETION);
      },
      async (baseUrl) => {
        assert.equal((await ask(baseUrl)).text, "fine");
        const before = await studioDb().llmCall.count();
        assert.equal((await ask(baseUrl, 10_000, 1)).text, "fine", "the call on the reset connection");
        assert.equal(requestsBySocket.size, 2, "the retry went out on a second connection");
        const tries = await studioDb().llmCall.findMany({ orderBy: { createdAt: "asc" }, skip: before });
        assert.deepEqual(tries.map((row) => row.error === ""), [false, true], "both tries are recorded, the failed one with its error");
      },
    );
  } finally {
    delete process.env.AWM_STUDIO_LLM_BACKOFF_MS;
  }
});
