/** A select over a fixed list of string options, each shown by `label` (the value itself by default). */
export function OptionSelect<T extends string>(props: { value: T; options: readonly T[]; label?: (value: T) => string; onChange: (value: T) => void; ariaLabel: string; testId: string }) {
  return (
    <select className="input" value={props.value} onChange={(event) => props.onChange(event.target.value as T)} aria-label={props.ariaLabel} data-testid={props.testId}>
      {props.options.map((option) => (
        <option key={option} value={option}>
          {props.label ? props.label(option) : option}
        </option>
      ))}
    </select>
  );
}
