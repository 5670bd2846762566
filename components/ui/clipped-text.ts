/** A long text cut for display: the first `limit` characters and how many were left out. */
export interface ClippedText {
  shown: string;
  hidden: number;
}

export function clipText(text: string, limit: number): ClippedText {
  // Never split a surrogate pair: cut before a lone high surrogate.
  if (text.length <= limit) return { shown: text, hidden: 0 };
  const end = /[\uD800-\uDBFF]/.test(text[limit - 1] ?? "") ? limit - 1 : limit;
  return { shown: text.slice(0, end), hidden: text.length - end };
}
