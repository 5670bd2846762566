import assert from "node:assert/strict";
import { test } from "node:test";
import { projectRoot } from "./config/paths.ts";
import { cycles, describeCycle, groupGraph, importSpecifiers, readImportGraph, type ImportGraph } from "./testing/import-graph.ts";

/** lib/awm/x.ts → lib/awm; a file directly in lib/ (errors.ts) is its own group. */
function folderOf(file: string): string {
  const parts = file.split("/");
  return parts.slice(0, parts.length > 2 ? 2 : parts.length).join("/");
}

/** Fails naming one route around each cycle; for folders, with the file imports behind each step. */
function assertNoCycles(graph: ImportGraph, what: string, files?: ImportGraph): void {
  const because = (from: string, to: string) =>
    [...(files ?? [])].flatMap(([file, targets]) => (folderOf(file) === from ? [...targets].filter((target) => folderOf(target) === to).map((target) => `${file} → ${target}`) : []));
  assert.deepEqual(
    cycles(graph).map((component) => {
      const route = describeCycle(graph, component);
      const steps = route.split(" → ");
      const among = component.length + 1 > steps.length ? ` (one of the cycles among ${component.join(", ")})` : "";
      const imports = files ? `: ${steps.slice(1).map((to, index) => because(steps[index]!, to).slice(0, 2).join(", ")).join("; ")}` : "";
      return `${route}${among}${imports}`;
    }),
    [],
    `${what} import cycles (put the shared piece below both sides)`,
  );
}

const root = projectRoot();

for (const dir of ["lib", "components"]) {
  test(`${dir}/ has no cycle between its folders`, () => {
    const graph = readImportGraph(root, [dir]);
    assert.ok(graph.size > 50, `read only ${graph.size} files`);
    assertNoCycles(groupGraph(graph, folderOf), `${dir} folder`, graph);
  });

  test(`${dir}/ has no cycle between its files`, () => {
    assertNoCycles(readImportGraph(root, [dir]), `${dir} file`);
  });
}

test("the import reader sees every form of import and the cycle finder finds a cycle", () => {
  const source = [
    'import a from "./a.ts";',
    'import type { B } from "@/lib/b";',
    'import { type H, i } from "@/lib/h";',
    'export type { J } from "./j.ts";',
    "export { c } from './c.ts';",
    'import "./d.css";',
    'const e = await import("./e.ts");',
    "import {\n  f,\n  g,\n} from \"./f.ts\";",
    '// import x from "./commented.ts";',
  ].join("\n");
  assert.deepEqual(importSpecifiers(source).sort(), ["./a.ts", "./c.ts", "./d.css", "./e.ts", "./f.ts", "@/lib/h"]);
  const graph: ImportGraph = new Map([
    ["a", new Set(["b"])],
    ["b", new Set(["c"])],
    ["c", new Set(["a"])],
    ["d", new Set(["a"])],
  ]);
  assert.deepEqual(cycles(graph), [["a", "b", "c"]]);
  assert.equal(describeCycle(graph, ["a", "b", "c"]), "a → b → c → a");
});
