"use client";

import { useState } from "react";
import styles from "./instances.module.css";

/** An instance's MCP endpoint (Streamable HTTP), as any MCP agent is given it, with a copy button. */
export function McpUrl({ instanceId }: { instanceId: string }) {
  const [copied, setCopied] = useState(false);
  const url = `${window.location.origin}/api/instances/${encodeURIComponent(instanceId)}/mcp`;
  const copy = () => {
    void navigator.clipboard?.writeText(url).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1_500);
    });
  };
  return (
    <span className={styles.mcpUrl} data-testid="mcp-url" title={`${url}\nGive this URL (with the header Authorization: Bearer <token>, see \`awm-studio token\`) to any MCP agent: its calls become steps here; finish_episode ends it`}>
      <code className="mono">{url}</code>
      <button type="button" className="button button--small" onClick={copy}>
        {copied ? "Copied" : "Copy"}
      </button>
    </span>
  );
}
