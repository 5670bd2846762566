import type { ReactElement } from "react";
import styles from "./shell.module.css";

const stroke = { fill: "none", stroke: "currentColor", strokeWidth: 1.6, strokeLinecap: "round", strokeLinejoin: "round" } as const;

function Icon({ children }: { children: ReactElement | ReactElement[] }) {
  return (
    <svg className={styles.icon} viewBox="0 0 16 16" aria-hidden="true" {...stroke}>
      {children}
    </svg>
  );
}

export const NAV_ICONS = {
  library: (
    <Icon>
      <rect x="2" y="2.5" width="12" height="3" rx="1" />
      <rect x="2" y="7" width="12" height="3" rx="1" />
      <rect x="2" y="11.5" width="12" height="2.5" rx="1" />
    </Icon>
  ),
  import: (
    <Icon>
      <path d="M8 2v8M5 7l3 3 3-3" />
      <path d="M2.5 11v2.5h11V11" />
    </Icon>
  ),
  trajectories: (
    <Icon>
      <circle cx="3.5" cy="4" r="1.5" />
      <circle cx="3.5" cy="12" r="1.5" />
      <path d="M3.5 5.5v5M7 4h6.5M7 12h6.5M7 8h4" />
    </Icon>
  ),
  instances: (
    <Icon>
      <rect x="2" y="2.5" width="12" height="4.5" rx="1" />
      <rect x="2" y="9" width="12" height="4.5" rx="1" />
      <path d="M4.5 4.75h.01M4.5 11.25h.01" />
    </Icon>
  ),
  jobs: (
    <Icon>
      <rect x="2" y="3" width="12" height="3" rx="1" />
      <rect x="2" y="10" width="7" height="3" rx="1" />
      <path d="M11 11.5h3" />
    </Icon>
  ),
  datasets: (
    <Icon>
      <ellipse cx="8" cy="3.5" rx="5.5" ry="1.8" />
      <path d="M2.5 3.5v9c0 1 2.5 1.8 5.5 1.8s5.5-.8 5.5-1.8v-9" />
      <path d="M2.5 8c0 1 2.5 1.8 5.5 1.8s5.5-.8 5.5-1.8" />
    </Icon>
  ),
  llm: (
    <Icon>
      <path d="M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z" />
      <path d="M5 6.5h6M5 8.5h4" />
    </Icon>
  ),
  settings: (
    <Icon>
      <circle cx="8" cy="8" r="2.2" />
      <path d="M8 1.8v2M8 12.2v2M1.8 8h2M12.2 8h2M3.6 3.6l1.4 1.4M11 11l1.4 1.4M3.6 12.4L5 11M11 5l1.4-1.4" />
    </Icon>
  ),
};
