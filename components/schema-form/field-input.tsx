"use client";

import { useEffect, useState } from "react";
import { parseExactJson, sameNumber, stringifyExactJson } from "@/lib/json/exact-json";
import { parseJsonText } from "./json-text";
import {
  emptyValue,
  isRecord,
  joinPath,
  matchVariant,
  parseNumberText,
  placeholderFor,
  type ArrayField,
  type EnumField,
  type FieldModel,
  type ObjectField,
  type PropertyModel,
  type ScalarField,
  type UnionField,
} from "./model";
import styles from "./schema-form.module.css";

export type ErrorsByPath = ReadonlyMap<string, string>;

interface InputProps<F extends FieldModel = FieldModel> {
  field: F;
  value: unknown;
  onChange: (value: unknown) => void;
  path: string;
  errors: ErrorsByPath;
  /** An optional field goes back to "not sent" when emptied. */
  required: boolean;
  label: string;
}

/** The properties of an object, each as a labelled row. */
export function ObjectFields({ field, value, onChange, path, errors }: Omit<InputProps<ObjectField>, "required" | "label">) {
  const object = isRecord(value) ? value : {};
  const setProperty = (name: string, next: unknown) => {
    const copy = { ...object };
    if (next === undefined) delete copy[name];
    else copy[name] = next;
    onChange(copy);
  };
  if (field.properties.length === 0) return <div className="faint">No parameters.</div>;
  return (
    <div className={styles.properties}>
      {field.properties.map((property) => (
        <PropertyRow key={property.name} property={property} value={object[property.name]} onChange={(next) => setProperty(property.name, next)} path={joinPath(path, property.name)} errors={errors} />
      ))}
    </div>
  );
}

function PropertyRow({ property, value, onChange, path, errors }: { property: PropertyModel; value: unknown; onChange: (value: unknown) => void; path: string; errors: ErrorsByPath }) {
  const { field, name, required } = property;
  const error = errors.get(path);
  const id = `field-${path}`;
  return (
    <div className={styles.row} data-testid="form-field" data-field={path} data-kind={field.kind}>
      <div className={styles.labelColumn}>
        <label className={styles.label} htmlFor={id}>
          {name}
          {required && (
            <span className={styles.required} title="required">
              *
            </span>
          )}
        </label>
        <span className={styles.kind}>{kindLabel(field)}</span>
        {field.nullable && <NullToggle field={field} value={value} onChange={onChange} />}
      </div>
      <div className={styles.inputColumn}>
        {value === null && field.nullable ? (
          <div className={styles.nullValue}>null</div>
        ) : (
          <FieldInput field={field} value={value} onChange={onChange} path={path} errors={errors} required={required} label={name} />
        )}
        {field.description && <div className={styles.help}>{field.description}</div>}
        {error && (
          <div className={styles.error} data-testid="field-error">
            {error}
          </div>
        )}
      </div>
    </div>
  );
}

function NullToggle({ field, value, onChange }: { field: FieldModel; value: unknown; onChange: (value: unknown) => void }) {
  return (
    <label className={styles.nullToggle}>
      <input type="checkbox" checked={value === null} onChange={(event) => onChange(event.target.checked ? null : emptyValue(field))} data-testid="null-toggle" />
      null
    </label>
  );
}

/** The input for one value of any kind. */
export function FieldInput(props: InputProps) {
  const { field } = props;
  switch (field.kind) {
    case "string":
      return <TextInput {...props} field={field} />;
    case "integer":
    case "number":
      return <NumberInput {...props} field={field} />;
    case "boolean":
      return <BooleanInput {...props} field={field} />;
    case "enum":
      return <EnumInput {...props} field={field} />;
    case "object":
      return (
        <div className={styles.nested}>
          <ObjectFields field={field} value={props.value} onChange={props.onChange} path={props.path} errors={props.errors} />
        </div>
      );
    case "array":
      return <ArrayInput {...props} field={field} />;
    case "union":
      return <UnionInput {...props} field={field} />;
    case "json":
      return <JsonInput {...props} />;
  }
}

function TextInput({ field, value, onChange, path, required }: InputProps<ScalarField>) {
  return (
    <input
      id={`field-${path}`}
      className={`input ${styles.input}`}
      value={typeof value === "string" ? value : value === undefined ? "" : stringifyExactJson(value)}
      placeholder={placeholderFor(field)}
      onChange={(event) => onChange(event.target.value === "" && !required ? undefined : event.target.value)}
    />
  );
}

function NumberInput({ field, value, onChange, path }: InputProps<ScalarField>) {
  const kind = field.kind === "integer" ? "integer" : "number";
  const shown = value === undefined || value === null ? "" : typeof value === "string" ? value : stringifyExactJson(value);
  const [text, setText] = useState(shown);
  // Follow outside changes (JSON view, examples) without fighting the box while it is typed in ("1." is 1).
  useEffect(() => {
    if (!sameNumber(parseNumberText(text, kind), value)) setText(shown);
  }, [value]);
  return (
    <input
      id={`field-${path}`}
      className={`input input--mono ${styles.input} ${styles.number}`}
      inputMode={kind === "integer" ? "numeric" : "decimal"}
      value={text}
      placeholder={placeholderFor(field)}
      onChange={(event) => {
        setText(event.target.value);
        onChange(parseNumberText(event.target.value, kind));
      }}
    />
  );
}

function BooleanInput({ field, value, onChange, path, required }: InputProps<ScalarField>) {
  return (
    <select
      id={`field-${path}`}
      className={`input ${styles.select}`}
      value={value === true ? "true" : value === false ? "false" : ""}
      onChange={(event) => onChange(event.target.value === "" ? undefined : event.target.value === "true")}
    >
      {(!required || typeof value !== "boolean") && <option value="">{unsetLabel(field, required)}</option>}
      <option value="true">true</option>
      <option value="false">false</option>
    </select>
  );
}

function EnumInput({ field, value, onChange, path, required }: InputProps<EnumField>) {
  const index = field.options.findIndex((option) => JSON.stringify(option) === JSON.stringify(value));
  return (
    <select id={`field-${path}`} className={`input ${styles.select}`} value={index < 0 ? "" : String(index)} onChange={(event) => onChange(event.target.value === "" ? undefined : field.options[Number(event.target.value)])}>
      {(!required || index < 0) && <option value="">{unsetLabel(field, required)}</option>}
      {field.options.map((option, i) => (
        <option key={i} value={String(i)}>
          {typeof option === "string" ? option : JSON.stringify(option)}
        </option>
      ))}
    </select>
  );
}

function ArrayInput({ field, value, onChange, path, errors, label }: InputProps<ArrayField>) {
  const items = Array.isArray(value) ? value : [];
  const setItem = (index: number, next: unknown) => onChange(items.map((item, i) => (i === index ? (next === undefined ? null : next) : item)));
  return (
    <div className={styles.array} data-testid="array-field">
      {items.map((item, index) => {
        const itemPath = `${path}[${index}]`;
        const error = errors.get(itemPath);
        return (
          <div key={index} className={styles.arrayItem} data-testid="array-item">
            <div className={styles.arrayItemHead}>
              <span className={styles.kind}>
                {label}[{index}]
              </span>
              {field.items.nullable && <NullToggle field={field.items} value={item} onChange={(next) => setItem(index, next)} />}
              <button type="button" className={styles.remove} onClick={() => onChange(items.filter((_, i) => i !== index))} title="Remove this item" data-testid="array-remove">
                Remove
              </button>
            </div>
            {item === null && field.items.nullable ? (
              <div className={styles.nullValue}>null</div>
            ) : (
              <FieldInput field={field.items} value={item} onChange={(next) => setItem(index, next)} path={itemPath} errors={errors} required label={`${label}[${index}]`} />
            )}
            {error && <div className={styles.error}>{error}</div>}
          </div>
        );
      })}
      <button type="button" className={`button ${styles.add}`} onClick={() => onChange([...items, emptyValue(field.items) ?? null])} data-testid="array-add">
        + Add item
      </button>
    </div>
  );
}

function UnionInput(props: InputProps<UnionField>) {
  const { field, value, onChange, path } = props;
  const chosen = value === undefined ? 0 : matchVariant(field, value);
  const variant = field.variants[chosen];
  return (
    <div className={styles.union}>
      <select className={`input ${styles.select}`} value={String(chosen)} onChange={(event) => onChange(emptyValue(field.variants[Number(event.target.value)]?.field ?? field))} aria-label={`${path} variant`} data-testid="union-variant">
        {field.variants.map((candidate, index) => (
          <option key={index} value={String(index)}>
            {candidate.label}
          </option>
        ))}
      </select>
      {variant && <FieldInput {...props} field={variant.field} />}
    </div>
  );
}

function JsonInput({ field, value, onChange, path, required }: InputProps) {
  const [text, setText] = useState(value === undefined ? "" : stringifyExactJson(value, 2));
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      {field.kind === "json" && field.note && <div className={styles.help}>{field.note}</div>}
      <textarea
        id={`field-${path}`}
        className={`input input--mono ${styles.jsonInput}`}
        value={text}
        rows={Math.min(10, Math.max(2, text.split("\n").length))}
        placeholder={placeholderFor(field) || "JSON value"}
        onChange={(event) => {
          setText(event.target.value);
          if (event.target.value.trim() === "") {
            setError(null);
            return onChange(required ? null : undefined);
          }
          const parsed = parseJsonText(event.target.value);
          setError(parsed.ok ? null : parsed.message);
          if (parsed.ok) onChange(parseExactJson(event.target.value));
        }}
      />
      {error && <div className={styles.error}>{error}</div>}
    </div>
  );
}

/** The select option for "no value": an optional field's says it is not sent, with its example if any. */
function unsetLabel(field: FieldModel, required: boolean): string {
  if (required) return "choose…";
  const hint = placeholderFor(field);
  return hint ? `— not sent (${hint}) —` : "— not sent —";
}

function kindLabel(field: FieldModel): string {
  switch (field.kind) {
    case "array":
      return `list of ${kindLabel(field.items)}`;
    case "enum":
      return "one of";
    case "union":
      return "one of several shapes";
    case "json":
      return "JSON";
    case "object":
      return field.title ?? "object";
    default:
      return field.kind === "string" && field.format ? `string (${field.format})` : field.kind;
  }
}
