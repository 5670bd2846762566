/** Tags on trajectories (review.ts), pure so pages can use them: the suggested tags, normalizing, reading back. */
export const VERIFIER_WRONG = "verifier wrong";
export const SUGGESTED_TAGS = ["reward hacking", "environment bug", VERIFIER_WRONG] as const;
export const MAX_TAG_LENGTH = 64;

/** A person's word that a run's "complete" is not to be trusted: the run fooled its verifier, or the verifier judges wrongly. */
export const DISTRUSTED_VERDICT_TAGS: readonly string[] = ["reward hacking", VERIFIER_WRONG];

export function verdictDistrusted(tags: readonly string[]): boolean {
  return tags.some((tag) => DISTRUSTED_VERDICT_TAGS.includes(tag));
}

/** Trimmed, inner spaces collapsed, lower case, empty and repeated tags dropped, in the order given. */
export function normalizeTags(tags: string[]): string[] {
  const kept = tags.map((tag) => tag.trim().replace(/\s+/g, " ").toLowerCase()).filter((tag) => tag !== "");
  const tooLong = kept.find((tag) => tag.length > MAX_TAG_LENGTH);
  if (tooLong) throw new Error(`a tag is at most ${MAX_TAG_LENGTH} characters: "${tooLong.slice(0, 80)}…"`);
  return [...new Set(kept)];
}

/** The stored JSON array, read back; anything else reads as no tags. */
export function parseTags(text: string): string[] {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.filter((tag): tag is string => typeof tag === "string") : [];
  } catch {
    return [];
  }
}

/** Matches a stored tags column that holds `tag` (normalized) as one element. */
export function tagCondition(tag: string): { contains: string } {
  return { contains: JSON.stringify(normalizeTags([tag])[0] ?? "") };
}
