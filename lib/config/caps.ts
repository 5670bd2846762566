/**
 * Every cap on input the studio does not control, defined once with the reason for its size.
 * Input over its cap is refused with an error naming the input and the cap; the rest goes on.
 */
const KiB = 1024;
const MiB = 1024 * KiB;

export interface Cap {
  bytes: number;
  /** What is capped, as the error names it: "one line of an AWM .jsonl file". */
  what: string;
  why: string;
}

export const CAPS = {
  agentReply: {
    bytes: 256 * KiB,
    what: "one reply of the agent model (its text and its calls' arguments, in characters)",
    why: "every later prompt of the episode holds it: 30 turns of it stay under 8 MiB, where a model that answered 15 MB replies ran the studio out of memory",
  },
  environmentResponse: {
    bytes: 16 * MiB,
    what: "one HTTP answer of an environment",
    why: "a tool result goes into an LLM's context (a few hundred KB at most) and into stored steps; 16 MiB is far above any real answer and far below V8's 512 MiB string limit",
  },
  verifierAnswer: {
    bytes: 16 * MiB,
    what: "one line a verifier worker answers (a verifier's result as JSON)",
    why: "a verdict's result is a few fields and some evidence rows; it is stored twice per verdict (evidence and raw output) and read on the studio's thread",
  },
  awmLine: {
    bytes: 16 * MiB,
    what: "one line of an AWM .jsonl file",
    why: "the longest line in real AWM data is about 60 KB (a whole FastAPI file); a line is parsed as one string at several times its size in memory",
  },
  awmFile: {
    bytes: 512 * MiB,
    what: "one AWM .jsonl file",
    why: "AgentWorldModel-1K's largest file is about 130 MB (1,000 environments' verifiers); every record read stays in memory until imported",
  },
  awmFolder: {
    bytes: 1024 * MiB,
    what: "the AWM .jsonl files of one folder together",
    why: "every record read stays in memory until imported, at about twice its size on disk, and the studio's heap is some 4 GiB; AgentWorldModel-1K's files together are a fraction of this",
  },
  seedScenariosFile: {
    bytes: 16 * MiB,
    what: "a seed scenarios .jsonl file",
    why: "AWM's seed_scenario.jsonl holds 100 apps in 59 KB, and seeds are quoted into prompts",
  },
  trajectoryFile: {
    bytes: 64 * MiB,
    what: "a run's trajectory.json",
    why: "30 iterations of tool results, each under the environment answer cap, stay far below it; the file is parsed and stored as one string",
  },
  runDatabase: {
    bytes: 256 * MiB,
    what: "a run's initial.db or final.db",
    why: "AWM state databases are kilobytes to a few MB; each is copied and diffed",
  },
  verdictFile: {
    bytes: 16 * MiB,
    what: "a run's verify.code.json or verify.sql.json",
    why: "a verdict is a classification, reasoning and evidence rows: kilobytes",
  },
  runUpload: {
    bytes: 512 * MiB,
    what: "all files of one run folder (or upload) together",
    why: "the two databases at their cap; an upload is held in memory while it is parsed",
  },
} as const satisfies Record<string, Cap>;

export function formatBytes(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= KiB && bytes % KiB === 0) return `${bytes / KiB} KiB`;
  if (bytes >= KiB) return `${(bytes / KiB).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** "the 16 MiB cap on one line of an AWM .jsonl file" */
export function capText(cap: Cap): string {
  return `the ${formatBytes(cap.bytes)} cap on ${cap.what}`;
}
