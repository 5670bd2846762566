"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Fragment } from "react";
import styles from "./shell.module.css";

interface Crumb {
  label: string;
  href?: string;
}

/** Top-level sections by path prefix; a deeper path adds its last segment as the current crumb. */
/** `newLabel`: the crumb of the section's /new page. */
const SECTIONS: { prefix: string; label: string; href: string; newLabel?: string }[] = [
  { prefix: "/environments", label: "Library", href: "/" },
  { prefix: "/import", label: "Import", href: "/import" },
  { prefix: "/playtest", label: "Playtest", href: "/trajectories?source=playtest", newLabel: "new playtest" },
  { prefix: "/trajectories", label: "Trajectories", href: "/trajectories" },
  { prefix: "/agent-runs", label: "Agent runs", href: "/trajectories?source=agent" },
  { prefix: "/instances", label: "Instances", href: "/instances" },
  { prefix: "/jobs", label: "Jobs", href: "/jobs" },
  { prefix: "/rollouts", label: "Jobs", href: "/jobs", newLabel: "new rollout job" },
  { prefix: "/datasets", label: "Datasets", href: "/datasets" },
  { prefix: "/llm-calls", label: "LLM calls", href: "/llm-calls" },
  { prefix: "/settings", label: "Settings", href: "/settings" },
];

function crumbsFor(pathname: string): Crumb[] {
  const section = SECTIONS.find((candidate) => pathname === candidate.prefix || pathname.startsWith(`${candidate.prefix}/`));
  if (!section) return [{ label: "Library" }];
  const rest = pathname.slice(section.prefix.length).split("/").filter(Boolean);
  const current = rest[0];
  if (!current) return [{ label: section.label }];
  return [{ label: section.label, href: section.href }, { label: current === "new" && section.newLabel ? section.newLabel : decodeURIComponent(current) }];
}

export function TopBar() {
  const crumbs = crumbsFor(usePathname() ?? "/");
  return (
    <header className={styles.topbar}>
      <nav className={styles.crumbs} aria-label="Breadcrumbs" data-testid="breadcrumbs">
        {crumbs.map((crumb, i) => (
          <Fragment key={`${crumb.label}-${i}`}>
            {i > 0 && <span className={styles.crumbSep}>/</span>}
            {crumb.href ? (
              <Link className={styles.crumb} href={crumb.href}>
                {crumb.label}
              </Link>
            ) : (
              <span className={`${styles.crumb} ${styles.crumbCurrent}`}>{crumb.label}</span>
            )}
          </Fragment>
        ))}
      </nav>
    </header>
  );
}
