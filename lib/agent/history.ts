/**
 * The messages a turn sends: the head (system prompt and task) always, then either every past
 * interaction or only the last `window` of them (as AWM trains, so training matches inference).
 * An interaction is one assistant reply with the tool results or feedback it got.
 */
export function windowedMessages<M>(head: M[], interactions: M[][], window: number | null): M[] {
  const kept = window === null ? interactions : window > 0 ? interactions.slice(-window) : [];
  return [...head, ...kept.flat()];
}
