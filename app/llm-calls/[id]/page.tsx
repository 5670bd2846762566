import { LlmCallDetailPage } from "@/components/llm/llm-call-detail";

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <LlmCallDetailPage id={id} />;
}
