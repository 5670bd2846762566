#!/usr/bin/env node
// `prisma generate` without network: Prisma's CLI insists on a schema-engine binary it would
// download, yet generate never runs it, so any existing file satisfies the check.
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const prismaBin = path.join(root, "node_modules", "prisma", "build", "index.js");
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
const result = spawnSync(process.execPath, [prismaBin, "generate"], { cwd: root, stdio: "inherit", env });
process.exit(result.status ?? 1);
