import path from "node:path";
import { boundedFileName } from "./file-names.ts";

/** Root of the project checkout (migrations, starter library). The CLI sets it from its own location. */
export function projectRoot(): string {
  return path.resolve(process.env.AWM_STUDIO_ROOT ?? process.cwd());
}

/** Everything the studio writes lives under AWM_STUDIO_HOME, so two studios never share state. */
export function studioHome(): string {
  return path.resolve(process.env.AWM_STUDIO_HOME ?? path.join(projectRoot(), "data"));
}

export function studioDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? `file:${path.join(studioHome(), "studio.db")}`;
}

/** Folder holding an environment's own files (seed databases), named within file-name limits. */
export function environmentDir(name: string): string {
  return path.join(studioHome(), "envs", boundedFileName(name));
}

export function migrationsDir(): string {
  return path.join(projectRoot(), "prisma", "migrations");
}

/** The project's own starter library, imported on first start. */
export function starterLibraryDir(): string {
  return path.join(projectRoot(), "library");
}
