/**
 * The entity-relationship graph as React Flow nodes and edges, laid out by dagre: tables left to
 * right by foreign-key depth (a referenced table sits left of the tables that reference it), each
 * edge from the referencing column's row to the referenced column's row. A referenced table the
 * database does not have becomes a node of its own, marked missing. Pure, so it is unit-tested.
 */
import dagre from "@dagrejs/dagre";
import type { Edge, Node } from "@xyflow/react";
import { plural } from "@/lib/plural";

export interface ErColumn {
  name: string;
  type: string;
  primaryKey: boolean;
  foreignKey: boolean;
}

export interface ErTableInput {
  name: string;
  rowCount: number | null;
  /** Only the columns worth drawing (keys); all of them for tiny tables. */
  columns: ErColumn[];
  references: { column: string; table: string; referencedColumn: string | null }[];
  broken?: { error: string };
}

/** A table of the database, or one its foreign keys name that it does not have. */
export type ErNodeData = { kind: "table"; table: ErTableInput } | { kind: "missing"; name: string };

export interface ErEdgeData extends Record<string, unknown> {
  from: string;
  fromColumn: string;
  to: string;
  toColumn: string | null;
  /** The referenced table is not in the database. */
  missing: boolean;
}

export type ErNode = Node<ErNodeData & Record<string, unknown>, "table">;
export type ErEdge = Edge<ErEdgeData, "reference">;

export const ER_NODE = { width: 210, header: 30, row: 20, padding: 8 };

export interface ErGraph {
  nodes: ErNode[];
  edges: ErEdge[];
  width: number;
  height: number;
}

/** SQLite compares table and column names without case. */
export function erNodeId(table: string): string {
  return `table:${table.toLowerCase()}`;
}

/** Handle ids: where a reference leaves its column (left side) and where it reaches one (right side); "" is the header. */
export function erHandleId(side: "from" | "to", column: string | null): string {
  return `${side}:${(column ?? "").toLowerCase()}`;
}

export function erNodeHeight(data: ErNodeData): number {
  const rows = data.kind === "table" ? Math.max(1, data.table.columns.length) : 1;
  return ER_NODE.header + rows * ER_NODE.row + ER_NODE.padding;
}

export function erGraph(tables: ErTableInput[]): ErGraph {
  const byId = new Map(tables.map((table) => [erNodeId(table.name), table]));
  const data = new Map<string, ErNodeData>(tables.map((table) => [erNodeId(table.name), { kind: "table", table }]));
  const edges: ErEdge[] = [];
  for (const table of tables) {
    for (const reference of table.references) {
      const target = erNodeId(reference.table);
      const missing = !byId.has(target);
      if (missing && !data.has(target)) data.set(target, { kind: "missing", name: reference.table });
      const drawnColumn = missing ? undefined : byId.get(target)!.columns.find((column) => column.name.toLowerCase() === reference.referencedColumn?.toLowerCase());
      edges.push({
        id: `${table.name}.${reference.column}->${reference.table}.${reference.referencedColumn ?? ""}`,
        type: "reference",
        source: erNodeId(table.name),
        sourceHandle: erHandleId("from", drawnColumnName(table, reference.column)),
        target,
        targetHandle: erHandleId("to", drawnColumn?.name ?? null),
        data: { from: table.name, fromColumn: reference.column, to: missing ? reference.table : byId.get(target)!.name, toColumn: reference.referencedColumn, missing },
      });
    }
  }

  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: "LR", nodesep: 18, ranksep: 72, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const [id, nodeData] of data) graph.setNode(id, { width: ER_NODE.width, height: erNodeHeight(nodeData) });
  // Referenced → referencing, so that ranks grow to the right with foreign-key depth.
  for (const edge of edges) if (edge.source !== edge.target) graph.setEdge(edge.target, edge.source, {}, edge.id);
  dagre.layout(graph);

  const nodes: ErNode[] = [...data].map(([id, nodeData]) => {
    const { x, y, width, height } = graph.node(id);
    return { id, type: "table", position: { x: x - width / 2, y: y - height / 2 }, width, height, data: nodeData, ariaLabel: nodeLabel(nodeData) };
  });
  const { width = 0, height = 0 } = graph.graph();
  return { nodes, edges, width, height };
}

/** The referencing column as drawn, or null (the header) when the table does not draw it. */
function drawnColumnName(table: ErTableInput, column: string): string | null {
  return table.columns.find((drawn) => drawn.name.toLowerCase() === column.toLowerCase())?.name ?? null;
}

/** What a screen reader says of a table, with what it references. */
function nodeLabel(data: ErNodeData): string {
  if (data.kind === "missing") return `Table ${data.name}: not in the database, though a foreign key references it`;
  const { table } = data;
  const state = table.broken ? `could not be created (${table.broken.error})` : plural(table.rowCount ?? 0, "row");
  const references = table.references.map((reference) => `${reference.column} references ${reference.table}`);
  return [`Table ${table.name}: ${state}`, ...references].join("; ");
}
