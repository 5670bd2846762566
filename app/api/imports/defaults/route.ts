import { route } from "@/lib/http/handler";
import { starterLibraryDir } from "@/lib/config/paths";

export const dynamic = "force-dynamic";

export interface ImportDefaults {
  starterLibrary: string;
  samplesDir?: string;
}

export const GET = route({}, async (): Promise<ImportDefaults> => {
  const samplesDir = process.env.AWM_SAMPLES_DIR;
  return samplesDir ? { starterLibrary: starterLibraryDir(), samplesDir } : { starterLibrary: starterLibraryDir() };
});
