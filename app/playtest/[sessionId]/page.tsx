import { PlaytestPage } from "@/components/playtest/playtest-page";

/** A playtest: the session id is its trajectory's id; `?instance=` names the live instance it plays in. */
export default async function Page({ params, searchParams }: { params: Promise<{ sessionId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { sessionId } = await params;
  const { instance } = await searchParams;
  return <PlaytestPage trajectoryId={sessionId} instanceId={typeof instance === "string" ? instance : ""} />;
}
