import { RolloutLaunchPage } from "@/components/rollouts/rollout-launch-page";
import { ErrorBox } from "@/components/ui/error-box";

/** `/rollouts/new?env=NAME`: launch a rollout job in that environment. */
export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { env } = await searchParams;
  if (typeof env !== "string" || env === "") {
    return (
      <div className="page">
        <ErrorBox title="Which environment?" error="a rollouts link needs ?env=<environment name>" />
      </div>
    );
  }
  return <RolloutLaunchPage environment={env} />;
}
