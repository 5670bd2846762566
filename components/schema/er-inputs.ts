import type { SeedTable } from "@/lib/seeddb/introspect";
import type { BrokenTable } from "@/lib/seeddb/problems";
import type { ErColumn, ErTableInput } from "./er-graph";

/** Tables with this many columns or fewer are drawn whole; larger ones show only their key columns. */
const DRAW_ALL_UP_TO = 4;

export function erInputs(tables: SeedTable[], broken: BrokenTable[]): ErTableInput[] {
  return [...tables.map(fromSeedTable), ...broken.map(fromBrokenTable)];
}

function fromSeedTable(table: SeedTable): ErTableInput {
  const fkColumns = new Set(table.foreignKeys.flatMap((key) => key.columns.map((c) => c.toLowerCase())));
  const all: ErColumn[] = table.columns.map((c) => ({
    name: c.name,
    type: c.type,
    primaryKey: c.primaryKey > 0,
    foreignKey: fkColumns.has(c.name.toLowerCase()),
  }));
  const keys = all.filter((c) => c.primaryKey || c.foreignKey);
  return {
    name: table.name,
    rowCount: table.rowCount,
    columns: all.length <= DRAW_ALL_UP_TO || keys.length === 0 ? all.slice(0, Math.max(DRAW_ALL_UP_TO, keys.length)) : keys,
    references: table.foreignKeys.flatMap((key) =>
      key.columns.map((column, i) => ({ column, table: key.table, referencedColumn: key.referencedColumns[i] ?? null })),
    ),
  };
}

const IDENT = String.raw`(?:"((?:[^"]|"")+)"|\x60([^\x60]+)\x60|\[([^\]]+)\]|(\w+))`;
const TABLE_FOREIGN_KEY = new RegExp(String.raw`FOREIGN\s+KEY\s*\(\s*${IDENT}[^)]*\)\s*REFERENCES\s+${IDENT}\s*(?:\(\s*${IDENT})?`, "gi");
const COLUMN_REFERENCE = new RegExp(String.raw`^\s*${IDENT}[^,]*?\bREFERENCES\s+${IDENT}\s*(?:\(\s*${IDENT})?`, "gim");

/** A table whose DDL failed: its references are read from the DDL text as far as it goes. */
function fromBrokenTable(table: BrokenTable): ErTableInput {
  const references: ErTableInput["references"] = [];
  for (const pattern of [TABLE_FOREIGN_KEY, COLUMN_REFERENCE]) {
    for (const match of table.ddl.matchAll(pattern)) {
      const [column, target, referenced] = [identAt(match, 1), identAt(match, 5), identAt(match, 9)];
      if (column && target && !/^(FOREIGN|CONSTRAINT)$/i.test(column)) references.push({ column, table: target, referencedColumn: referenced ?? null });
    }
  }
  const columns: ErColumn[] = [...new Set(references.map((r) => r.column))].map((name) => ({ name, type: "", primaryKey: false, foreignKey: true }));
  return { name: table.name, rowCount: null, columns, references, broken: { error: table.error } };
}

/** The identifier captured by one IDENT group set starting at `first` (quoted forms unwrapped). */
function identAt(match: RegExpMatchArray, first: number): string | undefined {
  const quoted = match[first];
  return quoted !== undefined ? quoted.replaceAll('""', '"') : (match[first + 1] ?? match[first + 2] ?? match[first + 3]);
}
