/** What a stage check says about one model answer. `record` is the artifact to store when it passed. */
export interface CheckOutcome<R> {
  passed: boolean;
  /** Each error names where (table, statement, operation, task) and carries the underlying message. */
  errors: string[];
  /** What a heuristic doubts about the answer: kept with the stage and shown, never a failed check. */
  warnings?: string[];
  details?: Record<string, unknown>;
  record?: R;
}

export function outcome<R>(errors: string[], record: R | undefined, details?: Record<string, unknown>, warnings: string[] = []): CheckOutcome<R> {
  const passed = errors.length === 0 && record !== undefined;
  return { passed, errors, ...(warnings.length > 0 && { warnings }), ...(details && { details }), ...(passed && { record }) };
}

/** Thrown by shape readers: the answer lacks a field the stage needs. */
export class ShapeError extends Error {}

export function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ShapeError(`${where} must be a JSON object, got ${describe(value)}`);
  return value as Record<string, unknown>;
}

export function arrayField(object: Record<string, unknown>, field: string, where: string): unknown[] {
  const value = object[field];
  if (!Array.isArray(value)) throw new ShapeError(`${where}.${field} must be an array, got ${describe(value)}`);
  return value;
}

export function stringField(object: Record<string, unknown>, field: string, where: string): string {
  const value = object[field];
  if (typeof value !== "string" || value.trim() === "") throw new ShapeError(`${where}.${field} must be a non-empty string, got ${describe(value)}`);
  return value;
}

export function stringArray(object: Record<string, unknown>, field: string, where: string): string[] {
  return arrayField(object, field, where).map((item, index) => {
    if (typeof item !== "string") throw new ShapeError(`${where}.${field}[${index}] must be a string, got ${describe(item)}`);
    return item;
  });
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value).slice(0, 60)}`;
}

/** Runs a shape reader; a ShapeError becomes a failed outcome with its message. */
export function readShape<T>(read: () => T): { value: T } | { error: string } {
  try {
    return { value: read() };
  } catch (error) {
    if (error instanceof ShapeError) return { error: error.message };
    throw error;
  }
}
