import { DatasetsPage } from "@/components/datasets/datasets-page";

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const selection = (await searchParams).selection;
  return <DatasetsPage initialSelection={typeof selection === "string" ? selection : ""} />;
}
