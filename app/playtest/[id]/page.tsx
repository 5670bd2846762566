import { redirect } from "next/navigation";
import { PlaytestPage } from "@/components/playtest/playtest-page";
import { listInstances } from "@/lib/instances/manager";

/**
 * A playtest: its id is its trajectory's id; `?instance=` names the live instance it plays in. A link
 * without it (the trajectory's id alone) goes to the instance that records the playtest, if one runs.
 */
export default async function Page({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const { instance } = await searchParams;
  if (typeof instance !== "string" || instance === "") {
    const live = listInstances().find((candidate) => candidate.episode === id && candidate.status === "running");
    if (live) redirect(`/playtest/${encodeURIComponent(id)}?instance=${encodeURIComponent(live.id)}`);
  }
  return <PlaytestPage trajectoryId={id} instanceId={typeof instance === "string" ? instance : ""} />;
}
