/**
 * Entity-relationship layout, pure: tables become boxes in layers left to right by foreign-key
 * depth (a table sits one layer right of every table it references), edges run from the
 * referencing column to the referenced column.
 */

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

export interface ErBox {
  table: ErTableInput;
  layer: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ErEdge {
  from: string;
  fromColumn: string;
  to: string;
  toColumn: string | null;
  /** SVG path data. */
  path: string;
  /** The referenced table is not in the diagram. */
  dangling: boolean;
}

export interface ErLayout {
  boxes: ErBox[];
  edges: ErEdge[];
  width: number;
  height: number;
}

export const ER_METRICS = { boxWidth: 190, header: 28, row: 18, padding: 6, layerGap: 64, rowGap: 18, margin: 16, maxColumnHeight: 640 };

export function layoutEr(tables: ErTableInput[]): ErLayout {
  const m = ER_METRICS;
  const byName = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
  const layers = assignLayers(tables, byName);

  const columns: ErTableInput[][] = [];
  for (const table of tables) (columns[layers.get(table.name)!] ??= []).push(table);

  orderLayers(columns);

  // Place layers left to right; a layer taller than maxColumnHeight wraps into further columns.
  const boxes: ErBox[] = [];
  let height = 0;
  let column = 0;
  columns.forEach((layer, layerIndex) => {
    let y = m.margin;
    for (const table of layer ?? []) {
      const boxHeight = m.header + Math.max(1, table.columns.length) * m.row + m.padding;
      if (y > m.margin && y + boxHeight > m.maxColumnHeight) {
        column++;
        y = m.margin;
      }
      boxes.push({ table, layer: layerIndex, x: m.margin + column * (m.boxWidth + m.layerGap), y, width: m.boxWidth, height: boxHeight });
      y += boxHeight + m.rowGap;
      height = Math.max(height, y - m.rowGap + m.margin);
    }
    column++;
  });

  const boxOf = new Map(boxes.map((b) => [b.table.name.toLowerCase(), b]));
  const edges: ErEdge[] = [];
  for (const box of boxes) {
    for (const ref of box.table.references) {
      const target = boxOf.get(ref.table.toLowerCase());
      const fromY = columnY(box, ref.column);
      if (!target) {
        edges.push({ from: box.table.name, fromColumn: ref.column, to: ref.table, toColumn: ref.referencedColumn, path: stub(box.x, fromY), dangling: true });
        continue;
      }
      edges.push({
        from: box.table.name,
        fromColumn: ref.column,
        to: target.table.name,
        toColumn: ref.referencedColumn,
        path: connector(box, fromY, target, columnY(target, ref.referencedColumn)),
        dangling: false,
      });
    }
  }

  const width = column === 0 ? 2 * m.margin : m.margin * 2 + column * m.boxWidth + (column - 1) * m.layerGap;
  return { boxes, edges, width, height: Math.max(height, 2 * m.margin) };
}

/**
 * Barycenter ordering to cut edge crossings: sweep right (order by referenced tables' positions),
 * back left (by referencing tables'), then right again. Tables with no neighbours keep their order.
 */
function orderLayers(columns: ErTableInput[][]): void {
  const position = new Map<string, number>();
  const referrers = new Map<string, string[]>();
  for (const table of columns.flat()) {
    for (const ref of table.references) {
      const key = ref.table.toLowerCase();
      referrers.set(key, [...(referrers.get(key) ?? []), table.name.toLowerCase()]);
    }
  }
  const place = (layer: ErTableInput[]) => layer.forEach((table, i) => position.set(table.name.toLowerCase(), i));
  columns.forEach(place);
  const order = (layer: ErTableInput[], neighbours: (table: ErTableInput) => string[]) => {
    const keyed = layer.map((table, i) => {
      const at = neighbours(table).map((name) => position.get(name)).filter((p): p is number => p !== undefined);
      return { table, key: at.length > 0 ? at.reduce((a, b) => a + b, 0) / at.length : i, i };
    });
    keyed.sort((a, b) => a.key - b.key || a.i - b.i);
    layer.splice(0, layer.length, ...keyed.map((k) => k.table));
    place(layer);
  };
  const references = (table: ErTableInput) => table.references.map((r) => r.table.toLowerCase());
  const referencedBy = (table: ErTableInput) => referrers.get(table.name.toLowerCase()) ?? [];
  for (const layer of columns.slice(1)) order(layer, references);
  for (const layer of [...columns].reverse().slice(1)) order(layer, referencedBy);
  for (const layer of columns.slice(1)) order(layer, references);
}

/** Layer = longest chain of references below a table; cycles are cut where they close. */
function assignLayers(tables: ErTableInput[], byName: Map<string, ErTableInput>): Map<string, number> {
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (table: ErTableInput): number => {
    const known = layer.get(table.name);
    if (known !== undefined) return known;
    visiting.add(table.name);
    let depth = 0;
    for (const ref of table.references) {
      const target = byName.get(ref.table.toLowerCase());
      if (!target || target === table || visiting.has(target.name)) continue;
      depth = Math.max(depth, visit(target) + 1);
    }
    visiting.delete(table.name);
    layer.set(table.name, depth);
    return depth;
  };
  tables.forEach(visit);
  return layer;
}

/** Vertical centre of a column's row in a box (the header when the column is not drawn). */
function columnY(box: ErBox, column: string | null): number {
  const index = column === null ? -1 : box.table.columns.findIndex((c) => c.name.toLowerCase() === column.toLowerCase());
  if (index < 0) return box.y + ER_METRICS.header / 2;
  return box.y + ER_METRICS.header + index * ER_METRICS.row + ER_METRICS.row / 2;
}

function connector(from: ErBox, fromY: number, to: ErBox, toY: number): string {
  if (to.x < from.x) {
    // Usual case: the referenced table sits to the left.
    const x1 = from.x;
    const x2 = to.x + to.width;
    const bend = Math.max(30, (x1 - x2) / 2);
    return `M ${x1} ${fromY} C ${x1 - bend} ${fromY}, ${x2 + bend} ${toY}, ${x2} ${toY}`;
  }
  // Same column (self-reference or cycle) or to the right: loop out of the right edge and back.
  const sameColumn = to.x === from.x;
  const x1 = from.x + from.width;
  const x2 = sameColumn ? to.x + to.width : to.x;
  const reach = sameColumn ? 36 + Math.abs(toY - fromY) / 8 : Math.max(30, (x2 - x1) / 2);
  const c2 = sameColumn ? x2 + reach : x2 - reach;
  return `M ${x1} ${fromY} C ${x1 + reach} ${fromY}, ${c2} ${toY}, ${x2} ${toY}`;
}

function stub(x: number, y: number): string {
  return `M ${x} ${y} L ${x - 28} ${y}`;
}
