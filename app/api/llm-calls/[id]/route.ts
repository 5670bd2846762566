import { NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { getLlmCall } from "@/lib/llm/calls";

export const dynamic = "force-dynamic";

export const GET = route({ params: IdParams }, async (_input, { params }) => {
  const call = await getLlmCall(params.id);
  if (!call) throw new NotFoundError(`no LLM call with id ${params.id}`);
  return call;
});
