/**
 * Parquet files written a row group at a time (hyparquet-writer) under one explicit schema, so
 * every row, whatever it holds, has the same column types: structs as groups, lists in the standard
 * three-level LIST layout that pyarrow and Hugging Face datasets read. int64 values are bigints.
 */
import fs from "node:fs";
import { fileWriter, ParquetWriter } from "hyparquet-writer";
import { partialFile } from "./partial-file.ts";
import type { SchemaElement } from "hyparquet";

export type Field =
  | { name: string; kind: "string" | "int64" | "double" | "boolean" }
  | { name: string; kind: "struct"; fields: Field[] }
  | { name: string; kind: "list"; element: Field };

const LEAF: Record<"string" | "int64" | "double" | "boolean", Omit<SchemaElement, "name">> = {
  string: { type: "BYTE_ARRAY", converted_type: "UTF8" },
  int64: { type: "INT64" },
  double: { type: "DOUBLE" },
  boolean: { type: "BOOLEAN" },
};

export function schemaElements(fields: Field[]): SchemaElement[] {
  return [{ name: "root", num_children: fields.length }, ...fields.flatMap(fieldElements)];
}

function fieldElements(field: Field): SchemaElement[] {
  const base = { name: field.name, repetition_type: "OPTIONAL" as const };
  if (field.kind === "struct") return [{ ...base, num_children: field.fields.length }, ...field.fields.flatMap(fieldElements)];
  if (field.kind === "list") {
    return [
      { ...base, converted_type: "LIST", num_children: 1 },
      { name: "list", repetition_type: "REPEATED", num_children: 1 },
      ...fieldElements({ ...field.element, name: "element" }),
    ];
  }
  return [{ ...base, ...LEAF[field.kind] }];
}

const ROW_GROUP = 1000;

/** Rows go in one at a time; every ROW_GROUP rows become a row group on disk. */
export class ParquetRowWriter {
  private readonly writer: ParquetWriter;
  private rows: Record<string, unknown>[] = [];
  count = 0;

  /** Written as `<file>.partial` and renamed at finish(): a kill midway leaves the file before it as it was. */
  constructor(
    private readonly file: string,
    private readonly fields: Field[],
  ) {
    this.writer = new ParquetWriter({ writer: fileWriter(partialFile(file)), schema: schemaElements(fields) });
  }

  add(row: Record<string, unknown>): void {
    this.rows.push(row);
    this.count++;
    if (this.rows.length >= ROW_GROUP) this.flush();
  }

  finish(): void {
    this.flush();
    void this.writer.finish();
    fs.renameSync(partialFile(this.file), this.file);
  }

  private flush(): void {
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    void this.writer.write({ columnData: this.fields.map((field) => ({ name: field.name, data: rows.map((row) => row[field.name] ?? null) })), rowGroupSize: rows.length });
  }
}
