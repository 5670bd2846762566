/**
 * The scripted model of the browser tests. As generator it answers the "tasks" stage (for any
 * scenario) with as many concrete library tasks as the prompt asks for, different on every call so
 * each regeneration makes a new version, after a short delay so the running state can be seen. As
 * agent (AWM protocol) it lists the tools, reads the active loans, then answers, one turn at a time
 * with a delay, so a live run shows its turns arriving. As judge it finds every run complete. Settings'
 * connection test gets "ok".
 * Run this file directly to serve it: it prints `SCRIPTED_LLM_BASE_URL=<url>` and serves until stopped.
 */
import { pathToFileURL } from "node:url";
import { startScriptedLlm, type ScriptedHandler, type ScriptedReply } from "../../lib/testing/scripted-llm.ts";

export const SCRIPTED_REPLY_DELAY_MS = 2_500;

const TITLES = ["The Quiet Orchard", "Harbor Lights at Dusk", "Field Guide to Urban Birds", "Night Trains of Europe", "Soup for Every Season", "The Cartographer's Daughter"];
const BRANCHES = ["Central", "Eastside", "Northgate"];

let calls = 0;

/** One concrete, checkable task per index; `round` shifts dates and amounts so each answer differs. */
function libraryTask(index: number, round: number): string {
  const title = TITLES[index % TITLES.length];
  const branch = BRANCHES[(index + round) % BRANCHES.length];
  const day = String(((index + round) % 27) + 1).padStart(2, "0");
  switch (index % 4) {
    case 0:
      return `Renew my loan of '${title}' so that it is due on 2026-04-${day} instead of its current due date.`;
    case 1:
      return `Place a hold on '${title}' for pickup at the ${branch} branch by 2026-05-${day}.`;
    case 2:
      return `Pay $${(1 + ((index + round) % 5)).toFixed(2)} of my unpaid fine for the late return of '${title}'.`;
    default:
      return `Which shelf at the ${branch} branch holds an available copy of '${title}' (round ${round}, request ${index + 1})?`;
  }
}

function userText(body: { messages?: { role: string; content: string }[] }): string {
  return (body.messages ?? []).filter((message) => message.role === "user").map((message) => message.content).join("\n");
}

export const SCRIPTED_AGENT_DELAY_MS = 1_200;
export const SCRIPTED_AGENT_ANSWER = "You have active loans; nothing else was needed.";

const AGENT_TURNS = [
  'I will look at the tools first.\n<tool_call>{"name": "list_tools", "arguments": {}}</tool_call>',
  'Now your active loans.\n<tool_call>{"name": "call_tool", "arguments": {"tool_name": "list_my_loans", "arguments": "{\\"status\\": \\"active\\"}"}}</tool_call>',
  SCRIPTED_AGENT_ANSWER,
];

function agentTurn(turn: number): ScriptedReply {
  return { content: AGENT_TURNS[Math.min(turn, AGENT_TURNS.length - 1)] ?? SCRIPTED_AGENT_ANSWER, usage: { prompt_tokens: 600, completion_tokens: 30 } };
}

/** The agent model refuses this task's requests (HTTP 400, not retried): its runs end as infrastructure failures. */
export const MODEL_REFUSES_TASK = 5;

export const studioScriptedModel: ScriptedHandler = (request) => {
  const stage: string = request.body?.metadata?.stage ?? "";
  if (stage === "agent" && request.body?.metadata?.task === String(MODEL_REFUSES_TASK)) return { status: 400, body: { error: { message: `the test model refuses task ${MODEL_REFUSES_TASK}` } } };
  if (stage === "agent") return { delayMs: SCRIPTED_AGENT_DELAY_MS, then: agentTurn(Number(request.body?.metadata?.turn ?? 0)) };
  if (stage === "settings-test") return { content: "ok" };
  if (stage === "judge") return { content: JSON.stringify({ classification: "complete", reasoning: "The scripted judge finds the run complete.", confidence: { complete: 0.9 }, evidence: [] }) };
  if (stage !== "tasks") return { status: 400, body: { error: { message: `the scripted test model only answers the tasks, agent, judge and settings-test stages, not "${stage}"` } } };
  const count = Number(/Write (\d+) different tasks/.exec(userText(request.body))?.[1] ?? 10);
  calls += 1;
  const tasks = Array.from({ length: count }, (_, index) => libraryTask(index, calls));
  const reply: ScriptedReply = { content: JSON.stringify({ tasks }), usage: { prompt_tokens: 850, completion_tokens: 40 * count } };
  return { delayMs: SCRIPTED_REPLY_DELAY_MS, then: reply };
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await startScriptedLlm(studioScriptedModel);
  console.log(`SCRIPTED_LLM_BASE_URL=${server.baseUrl}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
