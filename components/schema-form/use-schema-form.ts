"use client";

import { useMemo, useState } from "react";
import { parseExactJson, stringifyExactJson } from "@/lib/json/exact-json";
import { parseJsonText } from "./json-text";
import { buildFieldModel, canonicalIntegers, initialArguments, validateValue, withExamples, type FieldError, type FieldModel } from "./model";

/** Form fields, the same arguments as checked JSON, or JSON sent as typed with no check ("raw"). */
export type SchemaFormMode = "form" | "json" | "raw";

/** What a Call sends: the arguments as JSON text (numbers exactly as written) and whether to skip validation. */
export interface ArgumentsRequest {
  argumentsJson: string;
  raw: boolean;
}

export interface SchemaFormState {
  model: FieldModel;
  value: Record<string, unknown>;
  setValue: (value: Record<string, unknown>) => void;
  errors: FieldError[];
  mode: SchemaFormMode;
  setMode: (mode: SchemaFormMode) => void;
  /** The JSON and raw views' text; edits that parse to an object update `value` at once. */
  jsonText: string;
  setJsonText: (text: string) => void;
  /** Why the JSON text is not usable ("unexpected ... at line 3, column 8"), or null. */
  jsonError: string | null;
  /** Whether the arguments can be sent: valid JSON and, unless raw, no field errors. */
  ready: boolean;
  request: () => ArgumentsRequest;
}

/**
 * One form's state, shared by its views (fields, JSON text, raw text), so they always show the same
 * arguments. `examples` (per top-level parameter) prefill required fields and are placeholders for
 * the rest. Remount (React `key`) to start over for another tool.
 */
export function useSchemaForm(schema: object, examples: Record<string, unknown> = {}): SchemaFormState {
  const model = useMemo(() => withExamples(buildFieldModel(schema), examples), [schema]);
  const [value, setValueState] = useState(() => initialArguments(model));
  const [mode, setModeState] = useState<SchemaFormMode>("form");
  const [jsonText, setJsonTextState] = useState("");
  const [jsonError, setJsonError] = useState<string | null>(null);
  const errors = useMemo(() => (mode === "raw" ? [] : validateValue(model, value)), [model, value, mode]);

  const setValue = (next: Record<string, unknown>) => {
    setValueState(next);
    setJsonTextState(stringifyExactJson(next, 2));
    setJsonError(null);
  };
  const setJsonText = (text: string) => {
    setJsonTextState(text);
    const parsed = parseJsonText(text);
    if (!parsed.ok) return setJsonError(parsed.message);
    if (typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)) return setJsonError("the arguments must be a JSON object ({ ... })");
    setJsonError(null);
    setValueState(parseExactJson(text) as Record<string, unknown>);
  };
  const setMode = (next: SchemaFormMode) => {
    if (next === "form" && jsonError) return;
    if (next !== "form" && mode === "form") setJsonTextState(stringifyExactJson(value, 2));
    setModeState(next);
  };
  const request = (): ArgumentsRequest =>
    mode === "raw" ? { argumentsJson: jsonText, raw: true } : { argumentsJson: stringifyExactJson(canonicalIntegers(model, value)), raw: false };

  return { model, value, setValue, errors, mode, setMode, jsonText, setJsonText, jsonError, ready: jsonError === null && errors.length === 0, request };
}
