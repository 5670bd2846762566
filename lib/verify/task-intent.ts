/**
 * Does a task ask for a change to the environment's state, or only for information?
 *
 * The heuristic, in order:
 * 0. Quoted text is ignored (a message to send may well end in "?").
 * 1. A question mark, or a task that opens with a question word ("What", "Which", "How many", "Is",
 *    ...), is a question.
 * 2. Leading context is skipped: a clause up to the first comma that opens with "For", "As", "On",
 *    "In", "Using" or "From" ("For order 90517, change ..."), and politeness or attempt words
 *    ("Please", "Attempt to", "Try to").
 * 3. If the first word left is a read verb (list, show, find, search, fetch, get, filter, ...)
 *    and no unambiguous change verb (create, add, update, cancel, book, ...) appears anywhere in the
 *    task outside quotes, it is a question ("Search for walkers ... and return the top 3");
 *    "Find my order and cancel it" is a change.
 * 4. Anything else asks for a change: AWM's tasks are imperative, and most of them act. "Return" and
 *    "Generate" open changes ("Return the copy ...", "Generate a receipt ..."): as an output request
 *    "return" follows another verb ("Search ... and return ...").
 */
export type TaskIntent = "question" | "change";

const QUESTION_OPENERS = /^(what|which|how|who|whom|whose|when|where|why|is|are|was|were|does|do|did|can|could|tell me|give me)\b/i;
const LEADING_CLAUSE = /^(for|as|on|in|using|from|after|before)\b[^,]{0,160},\s*/i;
const LEADING_CONTEXT_CHARS = 2_000;
const LEADING_FILLER = /^(please|kindly|now|then|attempt to|try to|i want to|i'd like to|i would like to)\s+/i;

const READ_VERBS = new Set([
  "list", "show", "find", "search", "fetch", "get", "filter", "look", "lookup", "view", "display", "retrieve", "check",
  "count", "calculate", "compute", "summarize", "summarise", "tell", "give", "browse", "compare", "identify", "determine",
  "report", "read", "see", "review", "locate", "query", "provide", "sort", "rank", "preview", "inspect", "verify",
]);

/** Verbs that ask for a change wherever they appear and are rarely nouns (unlike "order", "message"). */
const CHANGE_VERBS = new Set([
  "create", "add", "update", "change", "edit", "modify", "cancel", "delete", "remove", "book", "reserve", "assign",
  "reassign", "unassign", "accept", "decline", "reject", "approve", "pay", "purchase", "buy", "rename", "transfer",
  "submit", "schedule", "reschedule", "enroll", "register", "subscribe", "unsubscribe", "withdraw", "upload", "attach",
  "redeem", "donate", "send", "mark", "renew", "archive", "publish", "unpublish", "enable", "disable", "invite", "save",
]);

export function taskIntent(task: string): TaskIntent {
  const text = withoutQuotes(task).trim();
  if (text.includes("?") || QUESTION_OPENERS.test(text)) return "question";
  // Leading context is short: each pass copies what is left, so a long head of clauses would cost its square.
  const first = firstWord(stripLeadingContext(text.slice(0, LEADING_CONTEXT_CHARS)));
  if (!READ_VERBS.has(first)) return "change";
  const otherWords = words(text).filter((word, index) => index > 0 || word !== first);
  return otherWords.some((word) => CHANGE_VERBS.has(word)) ? "change" : "question";
}

function stripLeadingContext(text: string): string {
  let rest = text;
  for (let previous = ""; previous !== rest; ) {
    previous = rest;
    rest = rest.replace(LEADING_CLAUSE, "").replace(LEADING_FILLER, "");
  }
  return rest;
}

function firstWord(text: string): string {
  return words(text)[0] ?? "";
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z][a-z-]*/g) ?? [];
}

/**
 * Quoted text (names, messages to send) is data: its words and question marks say nothing of the
 * task. "…", “…” and '…' (a ' not inside a word, as in "don't") each become a space, by one scan:
 * the regex /"[^"]*"|“[^”]*”|(?<!\w)'[^']*'(?!\w)/g rescanned to the end from every quote never
 * closed, quadratic on an imported task of them.
 */
function withoutQuotes(text: string): string {
  let kept = "";
  let from = 0;
  const unclosed = new Set<string>();
  for (let at = 0; at < text.length; at++) {
    const quote = text[at]!;
    const close = QUOTE_CLOSERS[quote];
    if (close === undefined || unclosed.has(quote) || (quote === "'" && isWordChar(text[at - 1]))) continue;
    const end = text.indexOf(close, at + 1);
    if (end < 0) {
      unclosed.add(quote); // no later one of its kind can close either
      continue;
    }
    if (quote === "'" && isWordChar(text[end + 1])) continue; // [^']* stops at that ', which is inside a word
    kept += `${text.slice(from, at)} `;
    from = end + 1;
    at = end;
  }
  return kept + text.slice(from);
}

const QUOTE_CLOSERS: Record<string, string> = { '"': '"', "“": "”", "'": "'" };

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /\w/.test(char);
}
