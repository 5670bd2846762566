import { PlaytestPage } from "@/components/playtest/playtest-page";

/** A playtest: its id is its trajectory's id; `?instance=` names the live instance it plays in. */
export default async function Page({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const { instance } = await searchParams;
  return <PlaytestPage trajectoryId={id} instanceId={typeof instance === "string" ? instance : ""} />;
}
