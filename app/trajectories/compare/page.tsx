import { ComparePage } from "@/components/trajectories/compare-page";

export default async function Page({ searchParams }: { searchParams: Promise<{ a?: string; b?: string }> }) {
  const { a, b } = await searchParams;
  return <ComparePage a={a} b={b} />;
}
