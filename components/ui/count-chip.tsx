export function CountChip({ count }: { count: number }) {
  return <span className="count-chip">{count.toLocaleString("en-US")}</span>;
}
