"use client";

import { useState } from "react";
import type { CatalogTool } from "@/lib/instances/shadowed-tools";
import styles from "./playtest.module.css";

export function matchesToolSearch(tool: CatalogTool, search: string): boolean {
  const needle = search.trim().toLowerCase();
  return needle === "" || tool.name.toLowerCase().includes(needle) || tool.description.toLowerCase().includes(needle);
}

/** The environment's tools, searchable by name and description; writes and shadowed routes marked. */
export function ToolList({ tools, selected, onSelect }: { tools: CatalogTool[]; selected: string | undefined; onSelect: (name: string) => void }) {
  const [search, setSearch] = useState("");
  const shown = tools.filter((tool) => matchesToolSearch(tool, search));
  return (
    <div className={styles.toolList}>
      <input className={`input ${styles.toolSearch}`} placeholder={`Search ${tools.length} tools…`} value={search} onChange={(event) => setSearch(event.target.value)} data-testid="tool-search" />
      <ul className={styles.tools} data-testid="tool-list">
        {shown.map((tool) => (
          <li key={tool.name}>
            <button
              type="button"
              className={`${styles.tool}${tool.name === selected ? ` ${styles.toolSelected}` : ""}`}
              onClick={() => onSelect(tool.name)}
              data-testid="tool-item"
              data-tool={tool.name}
              data-changes-state={tool.changesState}
              title={tool.warning ?? tool.description}
            >
              <span className={styles.toolName}>
                {tool.warning && (
                  <span className={styles.shadowMark} aria-label="shadowed route" data-testid="tool-shadowed">
                    ⚠
                  </span>
                )}
                {tool.name}
              </span>
              <span className={tool.changesState ? styles.writes : styles.reads}>{tool.changesState ? "writes" : "reads"}</span>
            </button>
          </li>
        ))}
        {shown.length === 0 && <li className={`faint ${styles.noTools}`}>{tools.length === 0 ? "No tools: the instance is not running, so its tools are unknown." : `No tool matches “${search}”.`}</li>}
      </ul>
    </div>
  );
}
