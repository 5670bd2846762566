// Applies the studio's SQL migrations to AWM_STUDIO_HOME's database and says which were new.
// Run by `npm start` before serving, so a broken migration is reported before the first request.
import { migrationsDir, studioDatabaseUrl } from "../lib/config/paths.ts";
import { applyMigrations } from "../lib/store/migrate.ts";

const url = studioDatabaseUrl();
if (!url.startsWith("file:")) throw new Error(`DATABASE_URL must be a SQLite file: URL, got ${url}`);
const applied = applyMigrations(url.slice("file:".length), migrationsDir());
console.log(applied.length === 0 ? "no new migrations" : `applied ${applied.join(", ")}`);
