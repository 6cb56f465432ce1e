import { defineComponent, useClientContext, useElementId, useEmbeddableState } from '@inlay/react';
import { type DataResponse, formatValue, isNoFilter, loadData, type MemberRef } from '@inlay/sdk';
import { useEffect, useState } from 'react';
import { Frame, StateMessage, stateOf } from '../shared/frame.js';
import { annotationOf, memberKey } from '../shared/members.js';
import { baseStyles } from '../shared/styles.js';

export const meta = {
  name: 'Dropdown',
  label: 'Dropdown filter',
  description:
    'Pick one or several values of a dimension (loaded through the tenant’s own data), with search.',
  category: 'Controls',
  defaultWidth: 3,
  defaultHeight: 4,
  inputs: [
    { name: 'ds', type: 'dataset', label: 'Dataset', required: true },
    { name: 'dimension', type: 'dimension', label: 'Values of', required: true, config: { dataset: 'ds' } },
    { name: 'title', type: 'string', label: 'Title' },
    { name: 'value', type: 'string', label: 'Selected value(s)', array: true },
    { name: 'multiple', type: 'boolean', label: 'Allow several values', defaultValue: false },
    {
      name: 'measure',
      type: 'measure',
      label: 'Only values with rows for (e.g. Count)',
      description:
        "A measure of the dataset's own model: the values then come from the dataset's rows (and its row-level security), even when the dimension belongs to a joined cube.",
      config: { dataset: 'ds' },
    },
  ],
  events: [
    {
      name: 'onChange',
      label: 'Selection changed',
      properties: [{ name: 'value', type: 'string', label: 'Selected value(s)', array: true }],
    },
  ],
} as const;

/** Values listed at once; more are reached by searching (the search runs on the server). */
export const OPTION_LIMIT = 200;

export interface DropdownProps {
  title?: string | undefined;
  dimension?: MemberRef | undefined;
  value: string[];
  multiple: boolean;
  options?: DataResponse | undefined;
  onChange?: (value: string[] | null) => void;
}

function selectedOf(value: unknown): string[] {
  if (value === null || value === undefined || isNoFilter(value)) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== null && v !== undefined).map(String);
}

export function Dropdown(props: DropdownProps) {
  const ctx = useClientContext();
  const id = useElementId();
  const [search, setSearch] = useEmbeddableState<string>('');
  const [typed, setTyped] = useState(search);
  const [selected, setSelected] = useState(props.value);
  useEffect(() => setSelected(props.value), [props.value]);
  // Ask the server after a pause in typing, not on every key.
  useEffect(() => {
    if (typed.trim() === search) return;
    const t = setTimeout(() => setSearch(typed.trim()), 250);
    return () => clearTimeout(t);
  }, [typed, search, setSearch]);

  const { dimension, options, multiple } = props;
  const key = dimension ? memberKey(dimension) : '';
  const annotation = annotationOf(options?.annotation, key);
  const values = (options?.data ?? []).map((r) => r[key]).filter((v) => v !== null && v !== undefined);
  // Selected values stay listed (and checked) even when the search does not match them.
  const listed = [...new Set([...selected, ...values.map(String)])];

  const emit = (next: string[]) => {
    setSelected(next);
    props.onChange?.(next.length > 0 ? next : null);
  };
  const toggle = (v: string) => {
    if (!multiple) return emit([v]);
    emit(selected.includes(v) ? selected.filter((x) => x !== v) : [...selected, v]);
  };

  return (
    <Frame title={undefined} className="inlay-dropdown">
      {!dimension ? (
        <p className="inlay-state">Choose a dimension.</p>
      ) : (
        <fieldset className="inlay-options-group">
          <legend className="inlay-label">
            {props.title ?? annotation?.title ?? dimension.title ?? dimension.name}
          </legend>
          <div className="inlay-dropdown-bar">
            <input
              type="search"
              className="inlay-search"
              aria-label="Search values"
              aria-controls={`${id}-list`}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
            <button
              type="button"
              className="inlay-button"
              disabled={selected.length === 0}
              onClick={() => emit([])}
            >
              Clear
            </button>
          </div>
          <p className="inlay-sr-only" aria-live="polite">
            {selected.length} selected
          </p>
          {stateOf(options) === 'ready' || selected.length > 0 ? (
            <ul className="inlay-options" id={`${id}-list`}>
              {listed.map((v) => (
                <li key={v}>
                  <label className="inlay-option">
                    <input
                      type={multiple ? 'checkbox' : 'radio'}
                      name={`${id}-value`}
                      value={v}
                      checked={selected.includes(v)}
                      onChange={() => toggle(v)}
                    />
                    <span>{formatValue(v, annotation, ctx, { member: key })}</span>
                  </label>
                </li>
              ))}
            </ul>
          ) : (
            <StateMessage
              response={options}
              empty={search ? `No value matches “${search}”.` : 'No values.'}
            />
          )}
        </fieldset>
      )}
    </Frame>
  );
}

export default defineComponent(Dropdown, meta, {
  props: (inputs, [state]) => {
    const search = typeof state === 'string' ? state : '';
    const dimension = inputs.dimension;
    return {
      title: inputs.title,
      dimension,
      value: selectedOf(inputs.value),
      multiple: inputs.multiple === true,
      options:
        inputs.ds && dimension
          ? loadData({
              from: inputs.ds,
              dimensions: [dimension],
              // A dimension of a joined cube alone reads that cube alone (e.g. every airport's
              // state); a measure of the dataset's model makes the query read the dataset's rows.
              ...(inputs.measure ? { measures: [inputs.measure] } : {}),
              orderBy: [{ property: dimension, direction: 'asc' }],
              limit: OPTION_LIMIT,
              ...(search
                ? { filters: [{ member: dimension.name, operator: 'contains', values: [search] }] }
                : {}),
            })
          : undefined,
    };
  },
  events: { onChange: (value) => ({ value }) },
  styles: `${baseStyles}
.inlay-options-group { display: flex; flex-direction: column; gap: 6px; height: 100%; min-height: 0;
  border: 0; padding: 0; margin: 0; min-width: 0; }
.inlay-label { font-size: 0.8125rem; font-weight: 600; color: var(--inlay-fg, #1f2328); padding: 0; }
.inlay-dropdown-bar { display: flex; gap: 6px; }
.inlay-search { flex: 1 1 auto; min-width: 0; font: inherit; font-size: 0.875rem; color: var(--inlay-fg, #1f2328);
  background: var(--inlay-bg, #f6f7f9); border: 1px solid var(--inlay-border, #d8dee4);
  border-radius: calc(var(--inlay-radius, 8px) / 2); padding: 5px 8px; }
.inlay-options { list-style: none; margin: 0; padding: 0; overflow: auto; flex: 1 1 auto; min-height: 0; }
.inlay-option { display: flex; gap: 8px; align-items: center; padding: 3px 2px; font-size: 0.875rem; cursor: pointer; }
.inlay-option input { accent-color: var(--inlay-accent, #2563eb); margin: 0; }
`,
});
