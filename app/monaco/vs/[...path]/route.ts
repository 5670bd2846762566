import fs from "node:fs/promises";
import path from "node:path";
import { projectRoot } from "@/lib/config/paths";

/**
 * Serves Monaco's prebuilt AMD bundle (node_modules/monaco-editor/min/vs) same-origin at /monaco/vs,
 * so the code viewer never reaches a CDN: `loader.config({ paths: { vs: "/monaco/vs" } })`.
 */
const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".ttf": "font/ttf",
  ".svg": "image/svg+xml",
};

function monacoRoot(): string {
  return path.join(projectRoot(), "node_modules", "monaco-editor", "min", "vs");
}

export async function GET(_request: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const root = monacoRoot();
  const file = path.resolve(root, ...(await params).path);
  const type = CONTENT_TYPES[path.extname(file)];
  if (!file.startsWith(root + path.sep) || type === undefined) return new Response("not found", { status: 404 });
  try {
    const body = await fs.readFile(file);
    return new Response(new Uint8Array(body), {
      headers: { "content-type": type, "cache-control": "public, max-age=86400" },
    });
  } catch {
    return new Response(`not found: ${path.relative(root, file)}`, { status: 404 });
  }
}
