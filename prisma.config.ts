import path from "node:path";
import { defineConfig } from "prisma/config";

const home = process.env.AWM_STUDIO_HOME ?? "./data";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? `file:${path.join(home, "studio.db")}` },
});
