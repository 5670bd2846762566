import fs from "node:fs";
import path from "node:path";

/** Every relative or "@/" import of a .ts/.tsx file, resolved to project-relative paths. */
export type ImportGraph = Map<string, Set<string>>;

const SOURCE = /\.tsx?$/;
const TEST_SUPPORT = /\.test\.tsx?$|\.fixture\.tsx?$|-fixture\.tsx?$|\/fixtures\/|^lib\/testing\//;
const SPECIFIERS = [
  /\b(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/g, // import x from "y", export { x } from "y", import type ...
  /\bimport\s*["']([^"']+)["']/g, // import "y"
  /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, // import("y")
];

/**
 * The import graph of the source files under `dirs` (project-relative), edges only within them.
 * Tests and their support (fixtures, lib/testing) are left out: they borrow across folders to set
 * the scene, which says nothing about how the code itself is layered.
 */
export function readImportGraph(root: string, dirs: string[]): ImportGraph {
  const files = dirs.flatMap((dir) => listSources(root, dir)).filter((file) => !TEST_SUPPORT.test(file));
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const targets = new Set<string>();
    for (const specifier of importSpecifiers(fs.readFileSync(path.join(root, file), "utf8"))) {
      const target = resolveSpecifier(file, specifier, known);
      if (target !== undefined && target !== file) targets.add(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

function listSources(root: string, dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
    .map((entry) => path.posix.join(dir, entry.split(path.sep).join("/")))
    .filter((file) => SOURCE.test(file) && !file.endsWith(".d.ts") && !file.includes("/generated/"));
}

/**
 * What a file loads: every import, re-export and dynamic import but whole-statement type imports
 * (`import type`, `export type … from`), which TypeScript erases (eslint-plugin-import's no-cycle
 * skips them too).
 */
export function importSpecifiers(source: string): string[] {
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "")
    .replace(/\b(?:import|export)\s+type\s[^;]*?\bfrom\s*["'][^"']+["']/g, "");
  return SPECIFIERS.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1] ?? ""));
}

function resolveSpecifier(from: string, specifier: string, known: Set<string>): string | undefined {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.posix.join(path.posix.dirname(from), specifier);
  else return undefined;
  const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`, base.replace(/\.js$/, ".ts")];
  return candidates.find((candidate) => known.has(candidate));
}

/** The graph with each file replaced by its group (e.g. its folder); edges inside a group dropped. */
export function groupGraph(graph: ImportGraph, groupOf: (file: string) => string): ImportGraph {
  const grouped: ImportGraph = new Map();
  for (const [file, targets] of graph) {
    const from = groupOf(file);
    const edges = grouped.get(from) ?? new Set<string>();
    grouped.set(from, edges);
    for (const target of targets) if (groupOf(target) !== from) edges.add(groupOf(target));
  }
  return grouped;
}

/** The strongly connected components with more than one node (Tarjan), each sorted. */
export function cycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** One path around a component, for the failure message: "a → b → a". */
export function describeCycle(graph: ImportGraph, component: string[]): string {
  const members = new Set(component);
  const start = component[0]!;
  const seen = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const target of graph.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const route = [node];
        for (let at = node; at !== start; ) route.unshift((at = seen.get(at)!));
        return [...route, start].join(" → ");
      }
      if (!seen.has(target)) {
        seen.set(target, node);
        queue.push(target);
      }
    }
  }
  return component.join(", ");
}
