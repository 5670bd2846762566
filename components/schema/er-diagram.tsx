"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { ER_METRICS, layoutEr, type ErTableInput } from "./er-layout";
import styles from "./er-diagram.module.css";

const MIN_SCALE = 0.3;
const MAX_SCALE = 2;
const MIN_FIT_SCALE = 0.7;

/** The entity-relationship graph as SVG: click a box to select its table; hover to trace its keys. */
export function ErDiagram({ tables, selected, onSelect }: { tables: ErTableInput[]; selected: string | null; onSelect: (table: string) => void }) {
  const layout = useMemo(() => layoutEr(tables), [tables]);
  const frame = useRef<HTMLDivElement>(null);
  const [scale, setScale] = useState(1);
  const [hovered, setHovered] = useState<string | null>(null);

  const fitScale = () => fitToWidth(frame.current, layout.width);
  // Start fitted to the width when the graph is wider than the frame.
  useEffect(() => {
    setScale(fitToWidth(frame.current, layout.width));
  }, [layout]);

  const focus = hovered ?? selected;
  const isLinked = (from: string, to: string) => focus !== null && (from === focus || to === focus);
  const m = ER_METRICS;

  return (
    <div className={styles.wrap}>
      <div className={styles.toolbar}>
        <span className="faint">
          {layout.boxes.length} tables · {layout.edges.length} foreign keys
        </span>
        <span className={styles.spacer} />
        <span className="segmented">
          <button type="button" className="segmented__item" onClick={() => setScale((s) => Math.max(MIN_SCALE, s / 1.25))} aria-label="Zoom out">
            −
          </button>
          <button type="button" className="segmented__item" onClick={() => setScale(fitScale())}>
            Fit
          </button>
          <button type="button" className="segmented__item" onClick={() => setScale(1)}>
            {Math.round(scale * 100)}%
          </button>
          <button type="button" className="segmented__item" onClick={() => setScale((s) => Math.min(MAX_SCALE, s * 1.25))} aria-label="Zoom in">
            +
          </button>
        </span>
      </div>
      <div className={styles.frame} ref={frame}>
        <svg
          data-testid="er-diagram"
          width={layout.width * scale}
          height={layout.height * scale}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          className={styles.svg}
          role="img"
          aria-label="Entity-relationship diagram"
        >
          <defs>
            <marker id="er-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
              <path d="M 0 0 L 8 4 L 0 8 z" className={styles.arrow} />
            </marker>
            <marker id="er-arrow-active" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M 0 0 L 8 4 L 0 8 z" className={styles.arrowActive} />
            </marker>
          </defs>
          {layout.edges.map((edge, i) => (
            <path
              key={i}
              d={edge.path}
              data-testid="er-edge"
              data-edge={`${edge.from}.${edge.fromColumn}->${edge.to}.${edge.toColumn ?? ""}`}
              markerEnd={isLinked(edge.from, edge.to) ? "url(#er-arrow-active)" : "url(#er-arrow)"}
              className={`${styles.edge} ${edge.dangling ? styles.edgeDangling : ""} ${isLinked(edge.from, edge.to) ? styles.edgeActive : ""} ${focus !== null && !isLinked(edge.from, edge.to) ? styles.edgeDim : ""}`}
            >
              <title>
                {edge.from}.{edge.fromColumn} → {edge.to}
                {edge.toColumn ? `.${edge.toColumn}` : ""}
                {edge.dangling ? " (table not in the database)" : ""}
              </title>
            </path>
          ))}
          {layout.boxes.map((box) => {
            const broken = box.table.broken;
            return (
              <g
                key={box.table.name}
                data-testid="er-box"
                data-table={box.table.name}
                data-broken={broken ? "true" : undefined}
                transform={`translate(${box.x} ${box.y})`}
                className={`${styles.box} ${broken ? styles.boxBroken : ""} ${selected === box.table.name ? styles.boxSelected : ""}`}
                onClick={() => onSelect(box.table.name)}
                onMouseEnter={() => setHovered(box.table.name)}
                onMouseLeave={() => setHovered(null)}
              >
                <title>{broken ? `${box.table.name}: could not be created\n${broken.error}` : `${box.table.name}: ${box.table.rowCount ?? 0} rows`}</title>
                <rect width={box.width} height={box.height} rx={5} className={styles.boxBody} />
                <path d={`M 0 ${m.header} H ${box.width}`} className={styles.boxRule} />
                <text x={10} y={m.header / 2 + 4} className={styles.boxTitle}>
                  {clip(box.table.name, 24)}
                </text>
                <text x={box.width - 10} y={m.header / 2 + 4} textAnchor="end" className={styles.boxCount}>
                  {broken ? "broken" : box.table.rowCount}
                </text>
                {box.table.columns.map((column, i) => {
                  const y = m.header + i * m.row + m.row / 2 + 4;
                  const type = clip(column.type.toLowerCase(), 9);
                  return (
                    <g key={column.name}>
                      <text x={10} y={y} className={column.primaryKey ? styles.keyPk : column.foreignKey ? styles.keyFk : styles.keyNone}>
                        {column.primaryKey ? "PK" : column.foreignKey ? "FK" : ""}
                      </text>
                      <text x={34} y={y} className={styles.columnName}>
                        {clip(column.name, nameRoom(box.width, type))}
                      </text>
                      <text x={box.width - 10} y={y} textAnchor="end" className={styles.columnType}>
                        {type}
                      </text>
                    </g>
                  );
                })}
                {box.table.columns.length === 0 && (
                  <text x={10} y={m.header + m.row / 2 + 4} className={styles.columnType}>
                    {broken ? "DDL failed" : "no key columns"}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </div>
    </div>
  );
}

/** The scale that fits the graph in the frame's width; never so small that text cannot be read. */
function fitToWidth(frame: HTMLElement | null, graphWidth: number): number {
  const width = frame?.clientWidth ?? graphWidth;
  return Math.max(MIN_FIT_SCALE, Math.min(1, (width - 4) / graphWidth));
}

/** Characters of an 11px monospace column name that fit beside its type. */
function nameRoom(boxWidth: number, type: string): number {
  return Math.floor((boxWidth - 34 - 10 - type.length * 6 - 8) / 6.7);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
