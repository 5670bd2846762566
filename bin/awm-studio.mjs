#!/usr/bin/env node
// The `awm-studio` command: the same lib/ functions the web app uses, run through tsx.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.env.AWM_STUDIO_ROOT ??= root;
register();
const { main } = await import("../lib/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
