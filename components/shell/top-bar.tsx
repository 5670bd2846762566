"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Fragment } from "react";

interface Crumb {
  label: string;
  href?: string;
}

function crumbsFor(pathname: string): Crumb[] {
  if (pathname === "/import") return [{ label: "Import" }];
  const env = /^\/environments\/([^/]+)/.exec(pathname);
  if (env?.[1]) return [{ label: "Library", href: "/" }, { label: decodeURIComponent(env[1]) }];
  return [{ label: "Library" }];
}

export function TopBar() {
  const crumbs = crumbsFor(usePathname() ?? "/");
  return (
    <header className="topbar">
      <nav className="crumbs" aria-label="Breadcrumbs" data-testid="breadcrumbs">
        {crumbs.map((crumb, i) => (
          <Fragment key={`${crumb.label}-${i}`}>
            {i > 0 && <span className="crumbs__sep">/</span>}
            {crumb.href ? (
              <Link className="crumbs__item" href={crumb.href}>
                {crumb.label}
              </Link>
            ) : (
              <span className="crumbs__item crumbs__item--current">{crumb.label}</span>
            )}
          </Fragment>
        ))}
      </nav>
    </header>
  );
}
