/** "1 task", "1,200 tasks": a count with its noun, plural unless the count is 1 (regular nouns only). */
export function plural(count: number, noun: string): string {
  return `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
}
