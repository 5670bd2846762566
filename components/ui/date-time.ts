/**
 * Every date the studio shows, in one form: "2026-11-26 14:18" in local time (with seconds where the
 * moment matters, such as one LLM call), the same in every locale and narrow enough for a table column.
 */
export function formatWhen(iso: string, { seconds = false }: { seconds?: boolean } = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (value: number) => String(value).padStart(2, "0");
  const time = `${two(date.getHours())}:${two(date.getMinutes())}${seconds ? `:${two(date.getSeconds())}` : ""}`;
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${time}`;
}
