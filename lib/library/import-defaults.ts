import { starterLibraryDir } from "../config/paths.ts";

/** What the import form starts from: the starter library folder and, when set, AWM's samples folder. */
export interface ImportDefaults {
  starterLibrary: string;
  samplesDir?: string;
}

export function importDefaults(): ImportDefaults {
  const samplesDir = process.env.AWM_SAMPLES_DIR;
  return samplesDir ? { starterLibrary: starterLibraryDir(), samplesDir } : { starterLibrary: starterLibraryDir() };
}
