import { normalizeScenarioName } from "../awm/normalize.ts";

/** Two descriptions whose token sets overlap this much (Jaccard) describe the same app. */
export const NEAR_DUPLICATE_JACCARD = 0.6;

const STOP_WORDS = new Set([
  "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "has", "have", "in", "is", "it", "its", "of", "on",
  "or", "that", "the", "their", "them", "they", "this", "to", "users", "user", "with", "where", "which", "who", "will",
]);

export function descriptionTokens(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((token) => token.length > 1 && !STOP_WORDS.has(token)));
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const token of a) if (b.has(token)) shared++;
  return shared / (a.size + b.size - shared);
}

export interface KnownScenario {
  name: string;
  description: string;
}

/**
 * Remembers accepted scenarios and says why a new one is a near-duplicate of one of them: the
 * same normalized name, or a description too similar (token Jaccard over the threshold).
 */
export class ScenarioDeduplicator {
  private readonly known: { normalized: string; name: string; tokens: Set<string> }[] = [];

  constructor(
    existing: KnownScenario[],
    private readonly threshold = NEAR_DUPLICATE_JACCARD,
  ) {
    for (const scenario of existing) this.add(scenario);
  }

  duplicateReason(candidate: KnownScenario): string | undefined {
    const normalized = normalizeScenarioName(candidate.name);
    const tokens = descriptionTokens(candidate.description);
    for (const known of this.known) {
      if (known.normalized === normalized) return `name "${candidate.name}" normalizes to "${normalized}", which "${known.name}" already has`;
      const similarity = jaccard(tokens, known.tokens);
      if (similarity > this.threshold) {
        return `description of "${candidate.name}" is ${Math.round(similarity * 100)}% the same as "${known.name}"'s (limit ${Math.round(this.threshold * 100)}%)`;
      }
    }
    return undefined;
  }

  add(scenario: KnownScenario): void {
    this.known.push({ normalized: normalizeScenarioName(scenario.name), name: scenario.name, tokens: descriptionTokens(scenario.description) });
  }
}

/**
 * Keeps categories balanced: a category may hold at most ceil(target / categories seen) of the
 * accepted scenarios, where "seen" counts every category proposed so far.
 */
export class CategoryBalancer {
  private readonly accepted = new Map<string, number>();
  private readonly seen = new Set<string>();

  constructor(private readonly target: number) {}

  observe(category: string): void {
    this.seen.add(normalizeCategory(category));
  }

  cap(): number {
    return Math.ceil(this.target / Math.max(1, this.seen.size));
  }

  fullReason(category: string): string | undefined {
    const key = normalizeCategory(category);
    const count = this.accepted.get(key) ?? 0;
    return count >= this.cap() ? `category "${key}" already has ${count} of at most ${this.cap()} scenarios` : undefined;
  }

  accept(category: string): void {
    const key = normalizeCategory(category);
    this.seen.add(key);
    this.accepted.set(key, (this.accepted.get(key) ?? 0) + 1);
  }
}

function normalizeCategory(category: string): string {
  return category.trim().toLowerCase().replace(/\s+/g, " ") || "uncategorized";
}
