import { route } from "@/lib/http/handler";
import { importDefaults } from "@/lib/library/import-defaults";

export const dynamic = "force-dynamic";

export const GET = route({}, async () => importDefaults());
