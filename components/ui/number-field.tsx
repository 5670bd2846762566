"use client";

import { useCallback, useEffect, useState } from "react";

interface NumberFieldProps {
  /** Names the field in the problem it reports ("Group size: a whole number from 1 to 64"). */
  label: string;
  /** The field's value; null when `allowEmpty` and the field is empty. */
  value: number | null;
  onChange: (value: number | null) => void;
  /** What is wrong with what the field holds now, or null once it holds a value in range. */
  onProblem: (label: string, problem: string | null) => void;
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
 * A number input that lets people type: what they type stays as typed, even once the field loses
 * focus; each value in range is passed on as it is reached, and one out of range (or an emptied
 * field) is marked and reported, so the form can refuse to go on instead of using another value.
 */
export function NumberField({ label, value, onChange, onProblem, min, max, step, integer = true, allowEmpty = false, placeholder, testId }: NumberFieldProps) {
  const [typed, setTyped] = useState<string | null>(null);
  const problem = `${label}: a ${integer ? "whole number" : "number"} from ${min}${max === undefined ? " up" : ` to ${max}`}${allowEmpty ? ", or empty" : ""}`;
  const parse = (text: string): number | null | undefined => {
    if (text.trim() === "") return allowEmpty ? null : undefined;
    const number = Number(text);
    if (!Number.isFinite(number) || (integer && !Number.isInteger(number)) || number < min || (max !== undefined && number > max)) return undefined;
    return number;
  };
  // What the browser could not read as a number at all ("1e", "-") it reports as "": that is not an empty field.
  const [unreadable, setUnreadable] = useState(false);
  const invalid = unreadable || (typed !== null && parse(typed) === undefined);
  // A field that goes away takes its problem with it.
  useEffect(() => () => onProblem(label, null), [label, onProblem]);
  const read = (input: HTMLInputElement) => {
    const badInput = input.validity.badInput;
    setTyped(input.value);
    setUnreadable(badInput);
    const next = badInput ? undefined : parse(input.value);
    if (next !== undefined) onChange(next);
    onProblem(label, next === undefined ? problem : null);
  };
  return (
    <input
      className="input"
      type="number"
      min={min}
      max={max}
      step={step}
      placeholder={placeholder}
      value={typed ?? (value === null ? "" : String(value))}
      aria-invalid={invalid || undefined}
      title={invalid ? problem : undefined}
      onChange={(event) => read(event.currentTarget)}
      // React passes on no change between "1e" and "" (both read as ""): the input event says it.
      onInput={(event) => read(event.currentTarget)}
      data-testid={testId}
    />
  );
}

/** The problems a form's fields report, by field label: the form goes on only when there are none. */
export function useFieldProblems(): { problems: string[]; report: (label: string, problem: string | null) => void } {
  const [byLabel, setByLabel] = useState<ReadonlyMap<string, string>>(new Map());
  const report = useCallback((label: string, problem: string | null) => {
    setByLabel((current) => {
      if ((current.get(label) ?? null) === problem) return current;
      const next = new Map(current);
      if (problem === null) next.delete(label);
      else next.set(label, problem);
      return next;
    });
  }, []);
  return { problems: [...byLabel.values()], report };
}

/** Why a form will not go on, under its button. */
export function FieldProblems({ problems }: { problems: string[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="field-problems" data-testid="field-problems">
      {problems.map((problem) => (
        <li key={problem}>{problem}</li>
      ))}
    </ul>
  );
}
