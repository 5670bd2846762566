/** "1 task", "3 tasks": a count with its noun, plural unless the count is 1 (regular nouns only). */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
