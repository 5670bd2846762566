/**
 * One episode: the agent model plays one task on a running instance in its seed state, and the run
 * becomes a trajectory of source "agent": each reply's text, each call with its answer and database
 * diffs, the model calls behind them, the final answer and its verdicts (see episode-verdicts.ts).
 */
import path from "node:path";
import { messageOf } from "../errors.ts";
import { normalizeScenarioName } from "../awm/normalize.ts";
import { FORMAT_ERROR, FORMAT_ERROR_REWARD } from "../awm/verdict.ts";
import { instanceTools, snapshotInstanceSince } from "../instances/manager.ts";
import type { LlmTarget } from "../llm/settings.ts";
import { splitTraceback } from "../runtime/environment-traceback.ts";
import { addVerdict, createTrajectory, episodeSnapshotsDir, finishTrajectory, setAgentStatus, trajectoryDir, type AgentStatus, type NewStep, type StepView } from "../trajectories/store.ts";
import { assistantMessage, oversizeReply, replyCalls, resultMessage, type CallRequest } from "./conversation.ts";
import { EpisodeState } from "./episode-state.ts";
import { StepRecorder } from "./step-recorder.ts";
import { episodeSetup, type EpisodeSetup } from "./episode-setup.ts";
import { judgeEpisode } from "./episode-verdicts.ts";
import { executeCall } from "./execute-call.ts";
import { windowedMessages } from "./history.ts";
import { InfraFailure } from "./infra-failure.ts";
import { modelTurn, nativeToolList, type AgentMessage } from "./model-turn.ts";
import { malformedFeedback, systemPrompt } from "./prompts.ts";
import { resolveCall } from "./resolve-call.ts";
import { offersMetaTools, type AgentSettings } from "./settings.ts";

const SKIPPED_NOTE = "not run: only the first tool call of a reply runs";
const ENDED_NOTE = "not run: the episode ended at a malformed call before it";
const SNAPSHOT_FAILED_NOTE = "not run: the database snapshot after the call before it failed";

export interface EpisodeInput {
  environmentName: string;
  taskIdx: number;
  /** A running instance of the environment, in its seed state. */
  instanceId: string;
  settings: AgentSettings;
  /** Read once by a job for all its episodes; a lone episode reads its own. */
  setup?: EpisodeSetup;
  jobId?: string;
  rollout?: number;
  /** Played live, outside a job: the process that plays it (see live-run.ts). */
  owner?: string;
  /** Watching it live: the trajectory once it exists, then every step as it is recorded. */
  onStart?: (trajectoryId: string) => void;
  onStep?: (step: StepView) => void;
  /** Aborting stops the episode before its next turn (status "stopped"); it is judged unless `judgeStopped` is false. */
  signal?: AbortSignal;
  /** False when a stopped episode is thrown away (a cancelled rollout's): no verifier or judge runs on it. */
  judgeStopped?: boolean;
  /**
   * Called once the episode no longer needs its instance: play ended and its database as the last
   * call left it is read. The record and the verdicts go on without it, so the instance may be
   * reset for another episode meanwhile. Never called when play itself failed.
   */
  onReleased?: () => void;
}

export interface EpisodeResult {
  trajectoryId: string;
  status: Exclude<AgentStatus, "" | "running">;
  /** Model replies. */
  turns: number;
  malformed: number;
  /** The verdict the run's `reward` setting counts; null for an infrastructure failure. */
  reward: number | null;
  classification: string | null;
  infraFailure: string | null;
}

interface Episode {
  id: string;
  input: EpisodeInput;
  /** The agent endpoint and model, resolved once: every turn of an episode asks the same model. */
  target: LlmTarget;
  state: EpisodeState;
  steps: StepRecorder;
  turns: number;
  malformed: number;
  finalAnswer?: string;
  /** The LLM judge judges it too (see EpisodeSetup.judged). */
  judged: boolean;
}

type Ending = { status: "final" | "max_turns" | "stopped" } | { status: "malformed"; problem: string };

export async function runEpisode(input: EpisodeInput): Promise<EpisodeResult> {
  const setup = input.setup ?? (await episodeSetup(input.environmentName, [input.taskIdx], input.settings));
  const task = setup.tasks.get(input.taskIdx);
  if (task === undefined) throw new Error(`the run's setup has no task ${input.taskIdx} of ${input.environmentName}`);
  const { target } = setup;
  const initial = await snapshotInstanceSince(input.instanceId, undefined, undefined);
  const { id } = await createTrajectory({
    environmentName: input.environmentName,
    taskIdx: input.taskIdx,
    task,
    source: "agent",
    model: target.model,
    initialDbFile: initial.file,
    moveInitialDb: true,
    ...(input.jobId && { jobId: input.jobId }),
    ...(input.rollout !== undefined && { rollout: input.rollout }),
    ...(input.owner && { agentOwner: input.owner }),
  });
  input.onStart?.(id);
  const episode: Episode = {
    id,
    input,
    target,
    state: new EpisodeState(input.instanceId, { ...initial, file: path.join(trajectoryDir(id), "initial.db") }, episodeSnapshotsDir(id)),
    steps: new StepRecorder(id, input.onStep),
    turns: 0,
    malformed: 0,
    judged: setup.judged.has(input.taskIdx),
  };
  try {
    const ending = await play(episode, task);
    await episode.state.snapshotTaken();
    input.onReleased?.();
    await episode.steps.flush();
    await finish(episode);
    return await judge(episode, ending);
  } catch (error) {
    const failure = error instanceof InfraFailure ? error : new InfraFailure("studio", `the episode could not be run: ${messageOf(error)}`);
    await episode.steps.flush().catch(() => undefined);
    await finish(episode).catch(() => undefined);
    await setAgentStatus(id, "infra_failure", failure.message);
    return result(episode, "infra_failure", null, null, failure.message);
  } finally {
    await episode.state.dispose();
  }
}

/** The final database (the latest snapshot moved in, not copied) and the final answer. */
async function finish(episode: Episode): Promise<void> {
  const current = await episode.state.current();
  await finishTrajectory(episode.id, { ...(episode.finalAnswer !== undefined && { finalAnswer: episode.finalAnswer }), finalDbFile: current.file, moveFinalDb: current.snapshot });
}

async function play(episode: Episode, task: string): Promise<Ending> {
  const { settings, environmentName, taskIdx, instanceId } = episode.input;
  const tools = instanceTools(instanceId);
  const offered = settings.protocol === "native" ? nativeToolList(tools, settings.nativeTools) : undefined;
  const head: AgentMessage[] = [
    { role: "system", content: systemPrompt(settings.protocol) },
    { role: "user", content: task },
  ];
  const interactions: AgentMessage[][] = [];
  const label = { scenario: normalizeScenarioName(environmentName), taskIdx, rollout: episode.input.rollout ?? 0 };
  for (let turn = 0; turn < settings.maxTurns; turn++) {
    if (episode.input.signal?.aborted) return { status: "stopped" };
    episode.steps.check();
    const reply = await modelTurn(windowedMessages(head, interactions, settings.historyWindow), { ...label, turn }, settings, episode.target, offered);
    episode.turns++;
    episode.steps.waitFor(reply.recorded);
    const llm = { llmCallId: reply.llmCallId, promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens, latencyMs: reply.latencyMs };
    const oversize = oversizeReply(reply);
    if (oversize) {
      episode.malformed++;
      addWithoutCall(episode, { role: "assistant", content: oversize.clipped, malformed: true, isError: true, toolResponse: oversize.problem, ...llm });
      return { status: "malformed", problem: oversize.problem };
    }
    const requests = replyCalls(reply, settings, turn);
    if (requests === null) {
      episode.finalAnswer = reply.text;
      addWithoutCall(episode, { role: "assistant", content: reply.text, isFinal: true, ...llm });
      return { status: "final" };
    }
    const interaction: AgentMessage[] = [assistantMessage(reply, settings)];
    interactions.push(interaction);
    const runnable = settings.protocol === "awm" ? 1 : requests.length;
    let ended: string | undefined;
    for (const [index, request] of requests.entries()) {
      const base: NewStep = { role: "assistant", content: index === 0 ? reply.text : "", toolCallId: request.id, ...(index === 0 && llm) };
      if (index >= runnable || ended !== undefined) {
        addWithoutCall(episode, { ...base, ...requested(request), skipped: true, toolResponse: index >= runnable ? SKIPPED_NOTE : ENDED_NOTE });
        continue;
      }
      const problem = await runCall(episode, request, base, interaction);
      if (problem !== undefined && settings.onMalformed === "end") ended = problem;
    }
    if (ended !== undefined) return { status: "malformed", problem: ended };
  }
  return { status: "max_turns" };
}

/** Runs one call and records it; returns the problem when the call was malformed. */
async function runCall(episode: Episode, request: CallRequest, base: NewStep, interaction: AgentMessage[]): Promise<string | undefined> {
  const { settings, instanceId } = episode.input;
  const action = request.problem !== undefined ? { kind: "malformed" as const, problem: request.problem } : resolveCall(instanceTools(instanceId), request.name ?? "", request.arguments, offersMetaTools(settings));
  if (action.kind === "malformed") {
    episode.malformed++;
    addWithoutCall(episode, { ...base, ...requested(request), malformed: true, isError: true, toolResponse: action.problem });
    interaction.push(resultMessage(malformedFeedback(action.problem, settings.protocol), request, settings));
    return action.problem;
  }
  const called: NewStep = { ...base, toolName: action.kind === "call" ? action.tool.name : "list_tools", toolArguments: action.kind === "call" ? action.args : {} };
  if (action.kind === "call") {
    await episode.steps.room();
    // The last step's database is held (captured or snapshotted) before this call changes it.
    await episode.state.pinned().catch((error: unknown) => {
      episode.steps.add({ ...called, skipped: true, toolResponse: SNAPSHOT_FAILED_NOTE });
      throw error;
    });
  }
  const capture = action.kind === "call" ? episode.state.capture() : undefined;
  const outcome = await executeCall(instanceId, action, settings.callTimeoutMs, capture).catch((error: unknown) => {
    // The step still shows what the agent asked for when the environment failed it.
    if (error instanceof InfraFailure && action.kind === "call") episode.steps.add({ ...called, toolResponse: error.message, isError: true });
    throw error;
  });
  const step: NewStep = { ...called, toolResponse: outcome.text, isError: outcome.isError, durationMs: outcome.durationMs };
  // The step is written once its diffs are in; the model reads the answer now.
  if (action.kind === "call") {
    const { diffs } = episode.state.step(capture && outcome.captured ? { name: capture.name, version: outcome.captured } : undefined);
    // A step whose snapshot or diffs failed is kept without diffs; the episode fails on it at its next call or its end.
    episode.steps.add(diffs.then((stepDiffs) => ({ ...step, ...stepDiffs }), () => step));
  } else addWithoutCall(episode, step);
  // The step keeps the environment's traceback for people; the model reads what an AWM agent reads.
  interaction.push(resultMessage(splitTraceback(outcome.text).response, request, settings));
  return undefined;
}

/** A step that ran no call, with the database since the start beside it (kept without when the diffs failed: the episode fails on that anyway). */
function addWithoutCall(episode: Episode, step: NewStep): void {
  episode.steps.add(episode.state.unchanged().then((diffs) => ({ ...step, ...diffs }), () => step));
}

/** The call as the model wrote it: its name and arguments, or its raw text when it did not parse. */
function requested(request: CallRequest): Pick<NewStep, "toolName" | "toolArguments"> {
  return { ...(request.name !== undefined && { toolName: request.name }), toolArguments: request.arguments ?? request.raw };
}

async function judge(episode: Episode, ending: Ending): Promise<EpisodeResult> {
  if (ending.status === "malformed") {
    // AWM's format error: the episode's reward whichever verdict counts, so no judge is asked.
    await addVerdict(episode.id, { mode: "code", classification: FORMAT_ERROR, reward: FORMAT_ERROR_REWARD, reasoning: `malformed tool call: ${ending.problem}` });
    await setAgentStatus(episode.id, "malformed");
    return result(episode, "malformed", FORMAT_ERROR_REWARD, FORMAT_ERROR, null);
  }
  if (ending.status === "stopped" && episode.input.judgeStopped === false) {
    await setAgentStatus(episode.id, "stopped");
    return result(episode, "stopped", null, null, null);
  }
  const verdict = await judgeEpisode(episode.id, episode.input.settings.reward, episode.judged);
  if (verdict.failure) {
    await setAgentStatus(episode.id, "infra_failure", verdict.failure.message);
    return result(episode, "infra_failure", null, verdict.classification, verdict.failure.message);
  }
  await setAgentStatus(episode.id, ending.status);
  return result(episode, ending.status, verdict.reward, verdict.classification, null);
}

function result(episode: Episode, status: EpisodeResult["status"], reward: number | null, classification: string | null, infraFailure: string | null): EpisodeResult {
  return { trajectoryId: episode.id, status, turns: episode.turns, malformed: episode.malformed, reward, classification, infraFailure };
}
