import { DatasetsPage } from "@/components/datasets/datasets-page";

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const envs = (await searchParams).envs;
  const list = (Array.isArray(envs) ? envs.join(",") : (envs ?? "")).split(",").filter(Boolean);
  return <DatasetsPage initialEnvs={list} />;
}
