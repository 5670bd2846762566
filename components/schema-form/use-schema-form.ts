"use client";

import { useMemo, useState } from "react";
import { parseJsonText } from "./json-text";
import { buildFieldModel, validateValue, type FieldError, type FieldModel } from "./model";

export type SchemaFormMode = "form" | "json";

export interface SchemaFormState {
  model: FieldModel;
  value: Record<string, unknown>;
  setValue: (value: Record<string, unknown>) => void;
  errors: FieldError[];
  mode: SchemaFormMode;
  setMode: (mode: SchemaFormMode) => void;
  /** The JSON view's text; edits that parse to an object update `value` at once. */
  jsonText: string;
  setJsonText: (text: string) => void;
  /** Why the JSON text is not usable ("unexpected ... at line 3, column 8"), or null. */
  jsonError: string | null;
  /** Whether the arguments can be sent: valid JSON and no field errors. */
  ready: boolean;
}

/**
 * One form's state, shared by its two views (fields and JSON text), so they always show the same
 * arguments. Remount (React `key`) to start over for another tool.
 */
export function useSchemaForm(schema: object, initialValue: (model: FieldModel) => Record<string, unknown>): SchemaFormState {
  const model = useMemo(() => buildFieldModel(schema), [schema]);
  const [value, setValueState] = useState(() => initialValue(model));
  const [mode, setModeState] = useState<SchemaFormMode>("form");
  const [jsonText, setJsonTextState] = useState("");
  const [jsonError, setJsonError] = useState<string | null>(null);
  const errors = useMemo(() => validateValue(model, value), [model, value]);

  const setValue = (next: Record<string, unknown>) => {
    setValueState(next);
    setJsonTextState(JSON.stringify(next, null, 2));
    setJsonError(null);
  };
  const setJsonText = (text: string) => {
    setJsonTextState(text);
    const parsed = parseJsonText(text);
    if (!parsed.ok) return setJsonError(parsed.message);
    if (typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)) return setJsonError("the arguments must be a JSON object ({ ... })");
    setJsonError(null);
    setValueState(parsed.value as Record<string, unknown>);
  };
  const setMode = (next: SchemaFormMode) => {
    if (next === "form" && jsonError) return;
    if (next === "json") setJsonTextState(JSON.stringify(value, null, 2));
    setModeState(next);
  };

  return { model, value, setValue, errors, mode, setMode, jsonText, setJsonText, jsonError, ready: jsonError === null && errors.length === 0 };
}
