import { parseArgs } from "node:util";
import type { EpisodeStart } from "../../playtest/episode.ts";
import type { PlaytestFinishResult } from "../../playtest/session.ts";
import { FINISH_EPISODE_TOOL } from "../../mcp/episode-tool.ts";
import { postToStudio } from "../studio-client.ts";
import { UsageError, type CliIo } from "../output.ts";
import { verdictLine } from "../../awm/verdict.ts";

export const episodeUsage =
  "awm-studio episode start <env> --task N [--agent NAME] [--json] | finish <id> [--answer TEXT] [--json]   an outside agent's episode on the running studio: its MCP URL, then its verdict";

/** Starts or finishes an episode on the running studio, whose instances outlive this command. */
export async function episodeCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { task: { type: "string" }, agent: { type: "string" }, answer: { type: "string" }, json: { type: "boolean" } },
  });
  const [action, target, ...rest] = positionals;
  if (!target || rest.length > 0) throw new UsageError(episodeUsage);
  if (action === "start") {
    const taskIdx = Number(values.task);
    if (values.task === undefined || !Number.isInteger(taskIdx) || taskIdx < 0) throw new UsageError(episodeUsage);
    const started = await postToStudio<EpisodeStart>("/api/episodes", { environment: target, taskIdx, ...(values.agent && { agent: values.agent }) });
    io.out(
      values.json
        ? JSON.stringify(started, null, 2)
        : [
            `episode ${started.episode}`,
            `task:       ${started.task}`,
            `mcp:        ${started.mcpUrl}`,
            `mcp (awm):  ${started.awmMcpUrl}`,
            `trajectory: ${started.trajectoryUrl}`,
            ...(started.mcpToken ? [`mcp token:  ${started.mcpToken}`] : []),
            ...started.warnings.map((warning) => `warning: ${warning}`),
            `An MCP client sends Authorization: Bearer <mcp token> (it opens these MCP URLs and nothing else of the studio) and ends the episode with the ${FINISH_EPISODE_TOOL} tool, or \`awm-studio episode finish ${started.episode}\`.`,
          ].join("\n"),
    );
    return 0;
  }
  if (action === "finish") {
    const { verdict } = await postToStudio<PlaytestFinishResult>(`/api/episodes/${encodeURIComponent(target)}/finish`, { finalAnswer: values.answer ?? "" });
    const { classification, reward, reasoning, error } = verdict;
    const failed = classification === "judge_error";
    const said = error ? `\nerror: ${error}` : reasoning ? `\nreason: ${reasoning}` : "";
    io.out(values.json ? JSON.stringify({ episode: target, verdict: classification, reward: failed ? null : reward, reasoning, error }, null, 2) : `episode ${target}: ${verdictLine(classification, reward)}${said}`);
    return failed ? 1 : 0;
  }
  throw new UsageError(episodeUsage);
}
