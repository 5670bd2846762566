/**
 * A schema table as SQL text for the editor: its CREATE TABLE, then its indexes after a marker line,
 * each statement as written. The marker keeps a cut-off CREATE TABLE (no closing parenthesis, no
 * semicolon) apart from the indexes that follow it, so a broken table opens as it is and can be fixed.
 */
import type { SchemaTable } from "@/lib/awm/types";

export const INDEXES_MARKER = "-- indexes";

export function tableSql(table: SchemaTable): string {
  const indexes = table.indexes.length > 0 ? `\n${table.indexes.join("\n")}` : "";
  return `${table.ddl.trim()}\n\n${INDEXES_MARKER}${indexes}\n`;
}

export type ParsedTable = { table: SchemaTable } | { error: string };

/**
 * The table the edited text describes: the text before the marker is the CREATE TABLE, each
 * statement after it an index. Without the marker, the first statement is the CREATE TABLE. The
 * name follows the CREATE TABLE when it names one.
 */
export function tableFromSql(name: string, text: string): ParsedTable {
  const marker = markerLine(text);
  const statements = marker ? [text.slice(0, marker.start).trim(), ...splitStatements(text.slice(marker.end))] : splitStatements(text);
  const [ddl = "", ...indexes] = statements.filter((statement) => statement !== "");
  if (!/^\s*CREATE\s+(TEMP\s+|TEMPORARY\s+)?TABLE\b/i.test(stripComments(ddl))) return { error: `${name}: the SQL must start with its CREATE TABLE statement` };
  const notIndex = indexes.find((statement) => !/^\s*CREATE\s+(UNIQUE\s+)?INDEX\b/i.test(stripComments(statement)));
  if (notIndex !== undefined) return { error: `${name}: after the CREATE TABLE, only CREATE INDEX statements belong here (found: ${notIndex.slice(0, 80)})` };
  return { table: { name: createdTableName(ddl) ?? name, ddl, indexes } };
}

function markerLine(text: string): { start: number; end: number } | undefined {
  const match = /^[ \t]*-- indexes[ \t]*$/m.exec(text);
  return match ? { start: match.index, end: match.index + match[0].length } : undefined;
}

/** Statements ending in ";" (kept), split outside quotes and comments; a last one without ";" is kept too. */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let at = 0;
  while (at < text.length) {
    const char = text[at] as string;
    if (char === "'" || char === '"' || char === "`") {
      const close = text.indexOf(char, at + 1);
      at = close < 0 ? text.length : close + 1;
    } else if (char === "[") {
      const close = text.indexOf("]", at + 1);
      at = close < 0 ? text.length : close + 1;
    } else if (text.startsWith("--", at)) {
      const end = text.indexOf("\n", at);
      at = end < 0 ? text.length : end + 1;
    } else if (text.startsWith("/*", at)) {
      const end = text.indexOf("*/", at + 2);
      at = end < 0 ? text.length : end + 2;
    } else if (char === ";") {
      statements.push(text.slice(start, at + 1).trim());
      start = ++at;
    } else at++;
  }
  const rest = text.slice(start).trim();
  if (stripComments(rest).trim() !== "") statements.push(rest);
  return statements;
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*\n?/g, "").replace(/\/\*[\s\S]*?\*\//g, "");
}

function createdTableName(ddl: string): string | undefined {
  return /CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?["`[]?([A-Za-z_][\w]*)/i.exec(stripComments(ddl))?.[1];
}
