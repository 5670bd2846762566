"use client";

import { useState } from "react";

interface NumberFieldProps {
  /** The field's value; null when `allowEmpty` and the field is empty. */
  value: number | null;
  onChange: (value: number | null) => void;
  min: number;
  max?: number;
  step?: number;
  /** Whole numbers only (the default). */
  integer?: boolean;
  /** An empty field is a value (null), such as "whole history". */
  allowEmpty?: boolean;
  placeholder?: string;
  testId?: string;
}

/**
 * A number input that lets people type: what they type stays as typed, each value in range is
 * passed on as it is reached, and one out of range (or an emptied field) is marked and left when
 * the field loses focus, which shows the last value in range again.
 */
export function NumberField({ value, onChange, min, max, step, integer = true, allowEmpty = false, placeholder, testId }: NumberFieldProps) {
  const [typed, setTyped] = useState<string | null>(null);
  const parse = (text: string): number | null | undefined => {
    if (text.trim() === "") return allowEmpty ? null : undefined;
    const number = Number(text);
    if (!Number.isFinite(number) || (integer && !Number.isInteger(number)) || number < min || (max !== undefined && number > max)) return undefined;
    return number;
  };
  const invalid = typed !== null && parse(typed) === undefined;
  return (
    <input
      type="number"
      min={min}
      max={max}
      step={step}
      placeholder={placeholder}
      value={typed ?? (value === null ? "" : String(value))}
      aria-invalid={invalid || undefined}
      title={invalid ? `a ${integer ? "whole number" : "number"} from ${min}${max === undefined ? " up" : ` to ${max}`}${allowEmpty ? ", or empty" : ""}` : undefined}
      onChange={(event) => {
        setTyped(event.target.value);
        const next = parse(event.target.value);
        if (next !== undefined) onChange(next);
      }}
      onBlur={() => setTyped(null)}
      data-testid={testId}
    />
  );
}
