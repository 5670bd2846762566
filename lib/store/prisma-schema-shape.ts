/**
 * A reader for the parts of schema.prisma that decide the database shape (scalar fields, their
 * types, optionality, defaults, unique constraints and indexes). Used to prove that the
 * hand-applied SQL migrations and the Prisma schema describe the same tables.
 */

export interface PrismaColumn {
  name: string;
  sqlType: string;
  notNull: boolean;
  /** SQL default as SQLite reports it, or undefined for none. */
  defaultSql?: string;
  primaryKey: boolean;
}

export interface PrismaModelShape {
  name: string;
  columns: PrismaColumn[];
  uniques: string[][];
  indexes: string[][];
}

const SQL_TYPES: Record<string, string> = {
  String: "TEXT",
  Int: "INTEGER",
  BigInt: "BIGINT",
  Float: "REAL",
  Boolean: "BOOLEAN",
  DateTime: "DATETIME",
};

function defaultSql(attributes: string): string | undefined {
  const match = /@default\((.*)\)/.exec(attributes);
  if (!match?.[1]) return undefined;
  const value = match[1].trim();
  if (value === "now()") return "CURRENT_TIMESTAMP";
  if (/^(cuid|uuid|autoincrement)\(/.test(value)) return undefined;
  if (value.startsWith('"')) return `'${(JSON.parse(value) as string).replaceAll("'", "''")}'`;
  return value;
}

function fieldList(text: string): string[] {
  return text.split(",").map((part) => part.trim()).filter(Boolean);
}

export function readPrismaSchemaShape(schema: string): PrismaModelShape[] {
  const modelNames = [...schema.matchAll(/^model\s+(\w+)\s*\{/gm)].map((match) => match[1] as string);
  const models: PrismaModelShape[] = [];
  for (const block of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const model: PrismaModelShape = { name: block[1] as string, columns: [], uniques: [], indexes: [] };
    for (const rawLine of (block[2] as string).split("\n")) {
      const line = rawLine.replace(/\/\/.*$/, "").trim();
      if (!line) continue;
      const blockAttribute = /^@@(unique|index)\(\[([^\]]*)\]/.exec(line);
      if (blockAttribute) {
        (blockAttribute[1] === "unique" ? model.uniques : model.indexes).push(fieldList(blockAttribute[2] as string));
        continue;
      }
      const field = /^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/.exec(line);
      if (!field) continue;
      const [, name, type, list, optional, attributes = ""] = field as unknown as [string, string, string, string?, string?, string?];
      if (list || modelNames.includes(type)) continue;
      const sqlType = SQL_TYPES[type];
      if (!sqlType) throw new Error(`schema.prisma: model ${model.name} field ${name}: unsupported type ${type}`);
      model.columns.push({
        name,
        sqlType,
        notNull: !optional,
        defaultSql: defaultSql(attributes),
        primaryKey: attributes.includes("@id"),
      });
      if (attributes.includes("@unique")) model.uniques.push([name]);
    }
    models.push(model);
  }
  return models;
}
