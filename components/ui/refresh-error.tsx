import { messageOf } from "@/lib/errors";
import styles from "./refresh-error.module.css";

/**
 * A page whose data was loaded and whose refresh then failed (the studio restarting, the network
 * down) keeps showing what it has, and what the person typed, with this note in a corner; the next
 * refresh that succeeds takes it away.
 */
export function RefreshError({ error }: { error: unknown }) {
  return (
    <div className={styles.note} role="status" data-testid="refresh-error">
      Could not refresh: {messageOf(error)}. Showing what was loaded; trying again.
    </div>
  );
}
