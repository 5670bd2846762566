import styles from "./method-badge.module.css";

const KNOWN = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

export function MethodBadge({ method }: { method: string }) {
  const upper = method.toUpperCase();
  const tone = KNOWN.has(upper) ? styles[upper.toLowerCase()] : styles.other;
  return <span className={`${styles.badge} ${tone ?? ""}`}>{upper}</span>;
}
