"use client";

import "@xyflow/react/dist/style.css";
import { Background, BaseEdge, Controls, getBezierPath, getSmoothStepPath, Handle, MarkerType, Position, ReactFlow, applyNodeChanges, type EdgeProps, type NodeChange, type NodeProps } from "@xyflow/react";
import { useEffect, useMemo, useState } from "react";
import { ER_NODE, erGraph, erHandleId, erNodeId, type ErEdge, type ErNode, type ErTableInput } from "./er-graph";
import styles from "./er-diagram.module.css";

const MIN_HEIGHT = 220;
const MAX_HEIGHT = 560;
// Marker colours are inline styles, so the theme's variables work there too.
const EDGE_COLOR = "#a1a1aa";
const ACTIVE_COLOR = "var(--accent)";
const MISSING_COLOR = "var(--error)";

/**
 * The entity-relationship graph (React Flow): a click on a table, or Enter on it after Tab, selects
 * it; hovering one traces its keys. Pan by dragging, zoom with the controls.
 */
export function ErDiagram({ tables, selected, onSelect }: { tables: ErTableInput[]; selected: string | null; onSelect: (table: string) => void }) {
  const graph = useMemo(() => erGraph(tables), [tables]);
  const [nodes, setNodes] = useState(graph.nodes);
  useEffect(() => setNodes(graph.nodes), [graph]);
  const [hovered, setHovered] = useState<string | null>(null);
  const focus = (hovered ?? selected)?.toLowerCase() ?? null;
  const selectedId = selected === null ? null : erNodeId(selected);

  const shownNodes = useMemo(() => nodes.map((node) => ({ ...node, selected: node.id === selectedId })), [nodes, selectedId]);
  const shownEdges = useMemo(() => graph.edges.map((edge) => styledEdge(edge, focus)), [graph, focus]);
  const missing = graph.nodes.filter((node) => node.data.kind === "missing").length;

  // Selection is the page's (the URL's ?table=): a click or Enter asks for it, the props show it.
  const onNodesChange = (changes: NodeChange<ErNode>[]) => {
    const picked = changes.find((change) => change.type === "select" && change.selected);
    const pickedNode = picked && "id" in picked ? graph.nodes.find((node) => node.id === picked.id) : undefined;
    if (pickedNode?.data.kind === "table") onSelect(pickedNode.data.table.name);
    setNodes((current) => applyNodeChanges(changes.filter((change) => change.type !== "select"), current));
  };

  return (
    <div className={styles.wrap}>
      <div className={styles.toolbar}>
        <span className="faint">
          {tables.length} tables · {graph.edges.length} foreign keys{missing > 0 ? ` · ${missing} referenced table${missing === 1 ? "" : "s"} missing` : ""}
        </span>
        <span className={styles.spacer} />
        <span className="faint">Tab to a table, Enter opens it</span>
      </div>
      <div className={styles.frame} style={{ height: Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, graph.height)) }} data-testid="er-diagram">
        <ReactFlow
          nodes={shownNodes}
          edges={shownEdges}
          nodeTypes={NODE_TYPES}
          edgeTypes={EDGE_TYPES}
          onNodesChange={onNodesChange}
          onNodeMouseEnter={(_event, node) => setHovered(tableName(node))}
          onNodeMouseLeave={() => setHovered(null)}
          nodesDraggable={false}
          nodesConnectable={false}
          edgesFocusable={false}
          zoomOnScroll={false}
          preventScrolling={false}
          fitView
          fitViewOptions={{ maxZoom: 1, padding: 0.06 }}
          minZoom={0.2}
          maxZoom={2}
          proOptions={{ hideAttribution: true }}
          aria-label="Entity-relationship diagram"
        >
          <Background gap={16} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </div>
  );
}

function tableName(node: ErNode): string {
  return node.data.kind === "table" ? node.data.table.name : node.data.name;
}

/** Edges of the focused table (hovered, else selected) stand out; the others fade; one to a missing table is red. */
function styledEdge(edge: ErEdge, focus: string | null): ErEdge {
  const data = edge.data!;
  const linked = focus !== null && (data.from.toLowerCase() === focus || data.to.toLowerCase() === focus);
  const color = data.missing ? MISSING_COLOR : linked ? ACTIVE_COLOR : EDGE_COLOR;
  const className = [data.missing ? styles.edgeMissing : "", linked ? styles.edgeActive : "", focus !== null && !linked ? styles.edgeDim : ""].filter(Boolean).join(" ");
  return { ...edge, className, markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14, color } };
}

function ReferenceEdge({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerEnd, source, target }: EdgeProps<ErEdge>) {
  const geometry = { sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition };
  // A table that references itself: around the box, not through it.
  const [path] = source === target ? getSmoothStepPath({ ...geometry, offset: 24, borderRadius: 8 }) : getBezierPath(geometry);
  const { from, fromColumn, to, toColumn, missing } = data!;
  const name = `${from}.${fromColumn}->${to}.${toColumn ?? ""}`;
  return (
    <g data-testid="er-edge" data-edge={name}>
      <title>
        {from}.{fromColumn} → {to}
        {toColumn ? `.${toColumn}` : ""}
        {missing ? " (table not in the database)" : ""}
      </title>
      <BaseEdge path={path} markerEnd={markerEnd} className={styles.edge} />
    </g>
  );
}

function TableNode({ data, selected }: NodeProps<ErNode>) {
  if (data.kind === "missing") {
    return (
      <div className={`${styles.node} ${styles.nodeMissing}`} data-testid="er-missing-table" data-table={data.name} title={`${data.name}: a foreign key references it, but the database has no such table`}>
        <div className={styles.header} style={{ height: ER_NODE.header }}>
          <Handle type="target" position={Position.Right} id={erHandleId("to", null)} isConnectable={false} className={styles.handle} />
          <span className={styles.title}>{data.name}</span>
          <span className={styles.count}>missing</span>
        </div>
        <div className={`${styles.row} ${styles.note}`} style={{ height: ER_NODE.row }}>
          not in the database
        </div>
      </div>
    );
  }
  const { table } = data;
  const broken = table.broken;
  return (
    <div
      className={`${styles.node} ${broken ? styles.nodeBroken : ""} ${selected ? styles.nodeSelected : ""}`}
      data-testid="er-box"
      data-table={table.name}
      data-broken={broken ? "true" : undefined}
      title={broken ? `${table.name}: could not be created\n${broken.error}` : `${table.name}: ${table.rowCount ?? 0} rows`}
    >
      <div className={styles.header} style={{ height: ER_NODE.header }}>
        <Handle type="source" position={Position.Left} id={erHandleId("from", null)} isConnectable={false} className={styles.handle} />
        <Handle type="target" position={Position.Right} id={erHandleId("to", null)} isConnectable={false} className={styles.handle} />
        <span className={styles.title}>{table.name}</span>
        <span className={styles.count}>{broken ? "broken" : table.rowCount}</span>
      </div>
      {table.columns.map((column) => (
        <div key={column.name} className={styles.row} style={{ height: ER_NODE.row }}>
          {column.foreignKey && <Handle type="source" position={Position.Left} id={erHandleId("from", column.name)} isConnectable={false} className={styles.handle} />}
          <Handle type="target" position={Position.Right} id={erHandleId("to", column.name)} isConnectable={false} className={styles.handle} />
          <span className={column.primaryKey ? styles.keyPk : column.foreignKey ? styles.keyFk : styles.keyNone}>{column.primaryKey ? "PK" : column.foreignKey ? "FK" : ""}</span>
          <span className={styles.columnName}>{column.name}</span>
          <span className={styles.columnType}>{column.type.toLowerCase()}</span>
        </div>
      ))}
      {table.columns.length === 0 && (
        <div className={`${styles.row} ${styles.note}`} style={{ height: ER_NODE.row }}>
          {broken ? "DDL failed" : "no key columns"}
        </div>
      )}
    </div>
  );
}

const NODE_TYPES = { table: TableNode };
const EDGE_TYPES = { reference: ReferenceEdge };
