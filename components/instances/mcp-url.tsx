"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { fetchJson } from "@/components/ui/fetch-json";
import { instanceKeys } from "@/components/query-keys";
import styles from "./instances.module.css";

/** A button that copies `text` and says so for a moment. */
function CopyButton({ text, label, testId }: { text: string; label: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(text).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1_500);
    });
  };
  return (
    <button type="button" className="button button--small" onClick={copy} data-testid={testId}>
      {copied ? "Copied" : label}
    </button>
  );
}

/**
 * An instance's MCP endpoint (Streamable HTTP), as any MCP agent is given it: the URL and the
 * instance's own token to copy (a token that opens this endpoint and nothing else of the studio).
 */
export function McpUrl({ instanceId }: { instanceId: string }) {
  const url = `${window.location.origin}/api/instances/${encodeURIComponent(instanceId)}/mcp`;
  // The token never changes for an instance: read once.
  const token = useQuery({
    queryKey: instanceKeys.mcpToken(instanceId),
    queryFn: () => fetchJson<{ token: string | null }>(`/api/instances/${encodeURIComponent(instanceId)}/mcp-token`),
    staleTime: Infinity,
  });
  const tokenText = token.data?.token;
  const howTo = tokenText ? "with the header Authorization: Bearer <this instance's token, Copy token>" : "(this studio needs no token)";
  return (
    <span className={styles.mcpUrl} data-testid="mcp-url" title={`${url}\nGive this URL ${howTo} to any MCP agent: its calls become steps here; finish_episode ends it`}>
      <code className="mono">{url}</code>
      <CopyButton text={url} label="Copy" testId="copy-mcp-url" />
      {tokenText && <CopyButton text={tokenText} label="Copy token" testId="copy-mcp-token" />}
    </span>
  );
}
