"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { NAV_ICONS } from "./nav-icons";
import styles from "./shell.module.css";

interface NavItem {
  label: string;
  href: string;
  icon: keyof typeof NAV_ICONS;
}

/** Sections of the sidebar. Playtests start from a task; each environment has its own Pipeline tab. */
const SECTIONS: { heading: string; items: NavItem[] }[] = [
  {
    heading: "Environments",
    items: [
      { label: "Library", href: "/", icon: "library" },
      { label: "Import", href: "/import", icon: "import" },
    ],
  },
  {
    heading: "Runs",
    items: [
      { label: "Trajectories", href: "/trajectories", icon: "trajectories" },
      { label: "Instances", href: "/instances", icon: "instances" },
      { label: "Jobs", href: "/jobs", icon: "jobs" },
      { label: "Datasets", href: "/datasets", icon: "datasets" },
    ],
  },
  {
    heading: "Models",
    items: [
      { label: "LLM calls", href: "/llm-calls", icon: "llm" },
      { label: "Settings", href: "/settings", icon: "settings" },
    ],
  },
];

function isActive(pathname: string, href: string): boolean {
  if (href === "/") return pathname === "/" || pathname.startsWith("/environments");
  return pathname === href || pathname.startsWith(`${href}/`);
}

export function Sidebar() {
  const pathname = usePathname() ?? "/";
  const renderItem = (item: NavItem) => {
    const active = isActive(pathname, item.href);
    return (
      <Link key={item.href} href={item.href} className={`${styles.link}${active ? ` ${styles.linkActive}` : ""}`} data-testid={`nav-${item.icon}`}>
        {NAV_ICONS[item.icon]}
        {item.label}
      </Link>
    );
  };
  return (
    <nav className={styles.sidebar} aria-label="Main">
      <Link href="/" className={styles.brand}>
        <span className={styles.logo}>A</span>
        AWM Studio
      </Link>
      {SECTIONS.map((section) => (
        <div key={section.heading} className={styles.section}>
          <div className={styles.heading}>{section.heading}</div>
          {section.items.map(renderItem)}
        </div>
      ))}
      <div className={styles.footer}>Agent World Model</div>
    </nav>
  );
}
