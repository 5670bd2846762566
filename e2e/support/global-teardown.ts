import fs from "node:fs";
import { studioHomeUnderTest } from "./studio.ts";

/** Removes the temp studio home the browser tests ran against. */
export default function globalTeardown(): void {
  fs.rmSync(studioHomeUnderTest(), { recursive: true, force: true });
}
