import { defineComponent, useElementId } from '@inlay/react';
import { isNoFilter, type TimeRange } from '@inlay/sdk';
import { type ChangeEvent, useEffect, useState } from 'react';
import { Frame } from '../shared/frame.js';
import { baseStyles, controlStyles } from '../shared/styles.js';

export const meta = {
  name: 'DateRangePicker',
  label: 'Date range picker',
  description: 'Sets a timeRange variable: relative presets or a custom from/to.',
  category: 'Controls',
  defaultWidth: 3,
  defaultHeight: 2,
  inputs: [
    { name: 'title', type: 'string', label: 'Title' },
    { name: 'value', type: 'timeRange', label: 'Value' },
  ],
  events: [
    {
      name: 'onChange',
      label: 'Range changed',
      properties: [{ name: 'value', type: 'timeRange', label: 'Range' }],
    },
  ],
  variables: [{ name: 'date_range', type: 'timeRange', defaultValue: null }],
} as const;

/** Presets: `null` is all time; the others are relative ranges the engine understands. */
export const PRESETS = [
  { id: 'all', label: 'All time', value: null },
  { id: 'last 7 days', label: 'Last 7 days', value: { relativeTimeString: 'last 7 days' } },
  { id: 'last 30 days', label: 'Last 30 days', value: { relativeTimeString: 'last 30 days' } },
  { id: 'last 90 days', label: 'Last 90 days', value: { relativeTimeString: 'last 90 days' } },
  { id: 'this month', label: 'This month', value: { relativeTimeString: 'this month' } },
  { id: 'last month', label: 'Last month', value: { relativeTimeString: 'last month' } },
  { id: 'this year', label: 'This year', value: { relativeTimeString: 'this year' } },
  { id: 'last year', label: 'Last year', value: { relativeTimeString: 'last year' } },
] as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Which choice a value is: a preset's id, `custom` for a from/to or an unknown relative string. */
export function choiceOf(value: unknown): string {
  if (value === null || value === undefined || isNoFilter(value)) return 'all';
  if (typeof value === 'object' && 'relativeTimeString' in value) {
    const rel = String((value as { relativeTimeString: unknown }).relativeTimeString)
      .trim()
      .toLowerCase();
    return PRESETS.some((p) => p.id === rel) ? rel : 'custom';
  }
  return 'custom';
}

function fromToOf(value: unknown): { from: string; to: string } {
  if (typeof value === 'object' && value !== null && 'from' in value && 'to' in value) {
    const { from, to } = value as { from: unknown; to: unknown };
    return { from: String(from).slice(0, 10), to: String(to).slice(0, 10) };
  }
  return { from: '', to: '' };
}

export interface DateRangePickerProps {
  title?: string | undefined;
  value?: TimeRange | undefined;
  onChange?: (value: TimeRange) => void;
}

export function DateRangePicker({ title, value, onChange }: DateRangePickerProps) {
  const id = useElementId();
  const [choice, setChoice] = useState(() => choiceOf(value));
  const [range, setRange] = useState(() => fromToOf(value));
  // The variable can change from outside (the host, another control): follow it.
  useEffect(() => {
    setChoice(choiceOf(value));
    setRange(fromToOf(value));
  }, [value]);

  const pick = (e: ChangeEvent<HTMLSelectElement>) => {
    const next = e.target.value;
    setChoice(next);
    const preset = PRESETS.find((p) => p.id === next);
    if (preset) onChange?.(preset.value);
    else if (ISO_DATE.test(range.from) && ISO_DATE.test(range.to) && range.from <= range.to)
      onChange?.(range);
  };
  const edit = (end: 'from' | 'to') => (e: ChangeEvent<HTMLInputElement>) => {
    const next = { ...range, [end]: e.target.value };
    setRange(next);
    if (ISO_DATE.test(next.from) && ISO_DATE.test(next.to) && next.from <= next.to) onChange?.(next);
  };
  const invalid = choice === 'custom' && range.from !== '' && range.to !== '' && range.from > range.to;

  return (
    <Frame title={undefined} className="inlay-date-range">
      <div className="inlay-field">
        <label htmlFor={`${id}-preset`} className="inlay-label">
          {title ?? 'Date range'}
        </label>
        <select id={`${id}-preset`} className="inlay-select" value={choice} onChange={pick}>
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </div>
      {choice === 'custom' ? (
        <fieldset className="inlay-custom-range">
          <legend className="inlay-sr-only">Custom range for {title ?? 'date range'}</legend>
          <label htmlFor={`${id}-from`} className="inlay-label">
            From
          </label>
          <input
            id={`${id}-from`}
            type="date"
            className="inlay-date"
            value={range.from}
            max={range.to || undefined}
            onChange={edit('from')}
            aria-invalid={invalid || undefined}
          />
          <label htmlFor={`${id}-to`} className="inlay-label">
            To
          </label>
          <input
            id={`${id}-to`}
            type="date"
            className="inlay-date"
            value={range.to}
            min={range.from || undefined}
            onChange={edit('to')}
            aria-invalid={invalid || undefined}
          />
          {invalid ? (
            <p className="inlay-state-error" role="alert">
              “From” must not be after “To”.
            </p>
          ) : null}
        </fieldset>
      ) : null}
    </Frame>
  );
}

export default defineComponent(DateRangePicker, meta, {
  props: (inputs) => ({ title: inputs.title, value: inputs.value ?? null }),
  events: { onChange: (value) => ({ value: value ?? null }) },
  styles: `${baseStyles}${controlStyles}
.inlay-date-range .inlay-body { display: flex; flex-direction: column; gap: 8px; }
.inlay-custom-range { display: grid; grid-template-columns: auto 1fr; gap: 6px 8px; align-items: center;
  border: 0; padding: 0; margin: 0; min-width: 0; }
.inlay-custom-range .inlay-state-error { grid-column: 1 / -1; margin: 0; font-size: 0.8125rem; }
`,
});
