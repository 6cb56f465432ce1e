import type { DatasetFilter } from '@inlay/core';
import { useState } from 'react';
import type { MetaCubeInfo } from '../api.js';
import { Field } from '../components/Field.js';
import { type Draft, removeDataset, setDatasetFilters } from '../editor/document.js';
import { SelectField } from './fields.js';

export const OPERATORS = [
  'equals',
  'notEquals',
  'contains',
  'gt',
  'lt',
  'inDateRange',
  'beforeDate',
  'afterDate',
] as const satisfies readonly DatasetFilter['operator'][];

const LISTS = new Set<string>(['equals', 'notEquals', 'contains']);

const describe = (f: DatasetFilter) =>
  `${f.member} ${f.operator} ${
    f.valueType === 'VARIABLE' ? `variable ${String(f.value)}` : JSON.stringify(f.value)
  }`;

/** One dataset: its model, its filters (a constant or a variable each), and Remove. */
export function DatasetEditor(props: {
  doc: Draft;
  dataset: Draft['datasets'][number];
  cubes: MetaCubeInfo[];
  onChange: (edit: (doc: Draft) => Draft) => boolean;
}) {
  const { doc, dataset, onChange } = props;
  const filters = dataset.filters ?? [];
  const cube = props.cubes.find((c) => c.name === dataset.model);
  const members = cube ? [...cube.dimensions, ...cube.measures] : [];
  const [member, setMember] = useState('');
  const [operator, setOperator] = useState<DatasetFilter['operator']>('equals');
  const [source, setSource] = useState('');
  const [constant, setConstant] = useState('');
  // The filter being changed in place (its index), or undefined while the form adds a new one.
  const [editing, setEditing] = useState<number>();

  function reset() {
    setMember('');
    setOperator('equals');
    setConstant('');
    setSource('');
    setEditing(undefined);
  }

  function edit(i: number) {
    const f = filters[i]!;
    setEditing(i);
    setMember(f.member);
    setOperator(f.operator);
    setSource(f.valueType === 'VARIABLE' ? String(f.value) : '');
    setConstant(
      f.valueType === 'VARIABLE' ? '' : Array.isArray(f.value) ? f.value.join(', ') : String(f.value ?? ''),
    );
  }

  function saveFilter() {
    if (!member) return;
    const filter: DatasetFilter = source
      ? { member, operator, valueType: 'VARIABLE', value: source }
      : {
          member,
          operator,
          valueType: 'VALUE',
          value: LISTS.has(operator)
            ? constant
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : constant.trim(),
        };
    const next =
      editing === undefined ? [...filters, filter] : filters.map((f, i) => (i === editing ? filter : f));
    if (onChange((d) => setDatasetFilters(d, dataset.name, next))) reset();
  }

  return (
    <fieldset className="dataset">
      <legend>
        Dataset {dataset.name} <span className="muted">on {dataset.model}</span>
      </legend>
      {filters.length > 0 && (
        <ul className="filters" aria-label={`Filters of ${dataset.name}`}>
          {filters.map((f, i) => (
            <li key={describe(f)}>
              <code>{describe(f)}</code>{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => edit(i)}
                aria-pressed={editing === i}
              >
                Edit filter <span className="sr-only">{describe(f)}</span>
              </button>{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  if (
                    onChange((d) =>
                      setDatasetFilters(
                        d,
                        dataset.name,
                        filters.filter((_, j) => j !== i),
                      ),
                    )
                  )
                    reset();
                }}
              >
                Remove filter <span className="sr-only">{describe(f)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="filter-form">
        <SelectField label="Filter member" value={member} onChange={([m]) => setMember(m ?? '')}>
          <option value="">Choose a member</option>
          {members.map((m) => (
            <option key={m.name} value={m.name}>
              {m.title} ({m.name})
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Filter operator"
          value={operator}
          onChange={([o]) => setOperator((o ?? 'equals') as DatasetFilter['operator'])}
        >
          {OPERATORS.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </SelectField>
        <SelectField label="Filter value from" value={source} onChange={([s]) => setSource(s ?? '')}>
          <option value="">A fixed value</option>
          {doc.variables.map((v) => (
            <option key={v.name} value={v.name}>
              Variable {v.name}
            </option>
          ))}
        </SelectField>
        {!source && (
          <Field
            label="Filter value"
            value={constant}
            onChange={(e) => setConstant(e.target.value)}
            hint={LISTS.has(operator) ? 'Several values: separate them with commas.' : undefined}
          />
        )}
        <button type="button" className="button secondary" onClick={saveFilter} disabled={!member}>
          {editing === undefined ? `Add filter to ${dataset.name}` : `Update filter of ${dataset.name}`}
        </button>
        {editing !== undefined && (
          <button type="button" className="button secondary" onClick={reset}>
            Cancel editing the filter
          </button>
        )}
      </div>
      <button
        type="button"
        className="button secondary danger-outline"
        onClick={() => onChange((d) => removeDataset(d, dataset.name))}
      >
        Remove dataset {dataset.name}
      </button>
    </fieldset>
  );
}
