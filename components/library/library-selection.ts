/** The library's row selection as pure set operations (names), kept apart from the view so filters never drop it silently. */

export function toggleName(selected: ReadonlySet<string>, name: string): Set<string> {
  const next = new Set(selected);
  if (next.has(name)) next.delete(name);
  else next.add(name);
  return next;
}

/** "Select all N shown": adds every shown row, or, when all of them are selected already, removes them. */
export function toggleShown(selected: ReadonlySet<string>, shown: readonly string[]): Set<string> {
  const next = new Set(selected);
  const all = shown.length > 0 && shown.every((name) => next.has(name));
  for (const name of shown) {
    if (all) next.delete(name);
    else next.add(name);
  }
  return next;
}

/** How many selected environments the current filters hide (the bar says so: actions still apply to them). */
export function hiddenCount(selected: ReadonlySet<string>, shown: readonly string[]): number {
  const visible = new Set(shown);
  let hidden = 0;
  for (const name of selected) if (!visible.has(name)) hidden += 1;
  return hidden;
}

