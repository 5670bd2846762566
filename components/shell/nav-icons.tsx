import type { ReactElement } from "react";

const stroke = { fill: "none", stroke: "currentColor", strokeWidth: 1.6, strokeLinecap: "round", strokeLinejoin: "round" } as const;

function Icon({ children }: { children: ReactElement | ReactElement[] }) {
  return (
    <svg className="sidebar__icon" viewBox="0 0 16 16" aria-hidden="true" {...stroke}>
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
};
