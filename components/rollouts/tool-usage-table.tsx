import type { ToolUsage } from "@/lib/agent/tool-usage";
import table from "@/components/ui/table.module.css";
import styles from "./rollouts.module.css";

/** Which tools the agents called, and how many of those calls failed or were malformed. */
export function ToolUsageTable({ usage }: { usage: ToolUsage[] }) {
  if (usage.length === 0) return <p className="faint">No tool calls yet.</p>;
  return (
    <table className={`${table.table} ${styles.usage}`} data-testid="tool-usage">
      <thead>
        <tr>
          <th>Tool</th>
          <th>Calls</th>
          <th>Failed</th>
          <th>Malformed</th>
        </tr>
      </thead>
      <tbody>
        {usage.map((entry) => (
          <tr key={entry.tool}>
            <td className="mono">{entry.tool}</td>
            <td className="num">{entry.calls}</td>
            <td className="num">{entry.errors}</td>
            <td className="num">{entry.malformed}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
