import { Suspense } from "react";
import { EnvironmentPage } from "@/components/environment/environment-page";

export default async function Page({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return (
    <Suspense>
      <EnvironmentPage name={name} />
    </Suspense>
  );
}
