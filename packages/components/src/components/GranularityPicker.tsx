import { defineComponent, useElementId } from '@inlay/react';
import { TIME_GRANULARITIES, type TimeGranularity } from '@inlay/sdk';
import { useEffect, useState } from 'react';
import { Frame } from '../shared/frame.js';
import { baseStyles, controlStyles } from '../shared/styles.js';

export const meta = {
  name: 'GranularityPicker',
  label: 'Granularity picker',
  description: 'Sets a granularity variable (day, week, month…), e.g. the one a line chart’s time axis uses.',
  category: 'Controls',
  defaultWidth: 2,
  defaultHeight: 1,
  inputs: [
    { name: 'title', type: 'string', label: 'Title' },
    { name: 'value', type: 'granularity', label: 'Value' },
    {
      name: 'options',
      type: 'string',
      label: 'Choices (comma-separated)',
      defaultValue: 'day,week,month,quarter,year',
    },
  ],
  events: [
    {
      name: 'onChange',
      label: 'Granularity changed',
      properties: [{ name: 'value', type: 'granularity', label: 'Granularity' }],
    },
  ],
  variables: [{ name: 'granularity', type: 'granularity', defaultValue: 'week' }],
} as const;

export const DEFAULT_OPTIONS: TimeGranularity[] = ['day', 'week', 'month', 'quarter', 'year'];

const KNOWN = new Set<string>(TIME_GRANULARITIES);

/** `"day, Week,month,fortnight"` → `['day','week','month']`: known granularities, in order, once each. */
export function parseOptions(options: unknown): TimeGranularity[] {
  const list = (typeof options === 'string' ? options.split(',') : Array.isArray(options) ? options : [])
    .map((o) => String(o).trim().toLowerCase())
    .filter((o): o is TimeGranularity => KNOWN.has(o));
  const unique = [...new Set(list)];
  return unique.length > 0 ? unique : DEFAULT_OPTIONS;
}

const label = (g: string) => g.charAt(0).toUpperCase() + g.slice(1);

export interface GranularityPickerProps {
  title?: string | undefined;
  value?: string | undefined;
  options: TimeGranularity[];
  onChange?: (value: TimeGranularity) => void;
}

export function GranularityPicker({ title, value, options, onChange }: GranularityPickerProps) {
  const id = useElementId();
  const [chosen, setChosen] = useState(value ?? options[0]);
  // The variable can change from outside (the host, another control): follow it.
  useEffect(() => setChosen(value ?? options[0]), [value, options]);
  // A value that is not among the choices (set by the host) is still shown, not silently replaced.
  const listed = chosen && !options.includes(chosen as TimeGranularity) ? [...options, chosen] : options;
  return (
    <Frame title={undefined} className="inlay-granularity">
      <div className="inlay-field">
        <label htmlFor={`${id}-g`} className="inlay-label">
          {title ?? 'Granularity'}
        </label>
        <select
          id={`${id}-g`}
          className="inlay-select"
          value={chosen}
          onChange={(e) => {
            setChosen(e.target.value);
            onChange?.(e.target.value as TimeGranularity);
          }}
        >
          {listed.map((g) => (
            <option key={g} value={g}>
              {label(g)}
            </option>
          ))}
        </select>
      </div>
    </Frame>
  );
}

export default defineComponent(GranularityPicker, meta, {
  props: (inputs) => {
    const options = parseOptions(inputs.options);
    const value = typeof inputs.value === 'string' && inputs.value ? inputs.value.toLowerCase() : undefined;
    return { title: inputs.title, value, options };
  },
  events: { onChange: (value) => ({ value }) },
  styles: `${baseStyles}${controlStyles}
.inlay-granularity .inlay-body { display: flex; flex-direction: column; justify-content: center; }
`,
});
