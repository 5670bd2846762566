// Applies the studio's SQL migrations to AWM_STUDIO_HOME's database and says which were new.
// Run by `npm start` before serving, so a broken migration is reported before the first request.
import { migrationsDir, studioDatabaseUrl, studioHome } from "../lib/config/paths.ts";
import { createFilesOwnerOnly, ensurePrivateHome, makeDatabasePrivate } from "../lib/config/private-files.ts";
import { applyMigrations } from "../lib/store/migrate.ts";

const url = studioDatabaseUrl();
if (!url.startsWith("file:")) throw new Error(`DATABASE_URL must be a SQLite file: URL, got ${url}`);
createFilesOwnerOnly();
ensurePrivateHome(studioHome());
const file = url.slice("file:".length);
const applied = applyMigrations(file, migrationsDir());
makeDatabasePrivate(file);
console.log(applied.length === 0 ? "no new migrations" : `applied ${applied.join(", ")}`);
