"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import type { EnvironmentPageData } from "@/lib/store/environment-views";
import { envKeys } from "@/components/query-keys";
import { ErrorBox } from "@/components/ui/error-box";
import { fetchJson } from "@/components/ui/fetch-json";
import { HealthBadge } from "@/components/ui/health-badge";
import { ExcludedBadge } from "@/components/library/library-table";
import { ApiTab } from "./api-tab";
import { CodeTab } from "./code-tab";
import { DataTab } from "./data-tab";
import styles from "./environment.module.css";
import { OverviewTab } from "./overview-tab";
import { PipelineTab } from "./pipeline-tab";
import { SchemaTab } from "./schema-tab";
import { TabBar, isEnvironmentTab, type EnvironmentTab } from "./tab-bar";
import { TasksTab } from "./tasks-tab";
import { VerifiersTab } from "./verifiers-tab";

/** `name` undefined: not asked yet (a page that learns which environment from another query). */
export function useEnvironmentDetail(name: string | undefined) {
  return useQuery({
    queryKey: envKeys.detail(name ?? ""),
    queryFn: () => fetchJson<EnvironmentPageData>(`/api/environments/${encodeURIComponent(name ?? "")}`),
    enabled: name !== undefined,
  });
}

function EnvironmentHeader({ env }: { env: EnvironmentPageData }) {
  const counts: [string, number][] = [
    ["tasks", env.taskCount],
    ["tables", env.tableCount],
    ["seed rows", env.seedRows],
    ["seed failures", env.seedFailures],
    ["tools", env.toolCount],
    ["verifiers", env.verifierCount],
  ];
  return (
    <header className={styles.header} data-testid="environment-header">
      <div className={styles.title}>
        <h1 data-testid="environment-scenario">{env.scenario}</h1>
        <HealthBadge health={env.health} errorCount={env.errorCount} warningCount={env.warningCount} />
        {env.excluded && <ExcludedBadge env={env} />}
        <Link href={`/rollouts/new?env=${encodeURIComponent(env.name)}`} className="button button--small" data-testid="environment-rollouts-link">
          Rollouts
        </Link>
      </div>
      <div className={styles.slug}>{env.name}</div>
      <div className={styles.counts}>
        {counts.map(([label, value]) => (
          <span key={label} className={styles.count}>
            <strong>{value.toLocaleString("en-US")}</strong> {label}
          </span>
        ))}
      </div>
    </header>
  );
}

function TabContent({ tab, env }: { tab: EnvironmentTab; env: EnvironmentPageData }) {
  switch (tab) {
    case "overview":
      return <OverviewTab env={env} />;
    case "tasks":
      return <TasksTab env={env} />;
    case "schema":
      return <SchemaTab name={env.name} />;
    case "data":
      return <DataTab name={env.name} />;
    case "api":
      return <ApiTab name={env.name} />;
    case "code":
      return <CodeTab name={env.name} />;
    case "verifiers":
      return <VerifiersTab name={env.name} />;
    case "pipeline":
      return <PipelineTab name={env.name} />;
  }
}

export function EnvironmentPage({ name }: { name: string }) {
  const requested = useSearchParams().get("tab");
  const tab: EnvironmentTab = isEnvironmentTab(requested) ? requested : "overview";
  const detail = useEnvironmentDetail(name);

  if (detail.isError) {
    return (
      <div className="page">
        <ErrorBox title={`Could not load environment ${name}`} error={detail.error} />
      </div>
    );
  }
  if (!detail.data) {
    return (
      <div className="page">
        <div className="faint">Loading {name}…</div>
      </div>
    );
  }
  const env = detail.data;
  return (
    <div className="page" data-testid="environment-page" data-tab={tab}>
      <EnvironmentHeader env={env} />
      <TabBar
        name={env.name}
        active={tab}
        counts={{ overview: env.errorCount + env.warningCount, tasks: env.taskCount, schema: env.tableCount, api: env.toolCount, verifiers: env.verifierCount }}
      />
      <div data-testid={`tab-panel-${tab}`}>
        <TabContent tab={tab} env={env} />
      </div>
    </div>
  );
}
