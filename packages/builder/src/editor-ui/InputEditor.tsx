import type { ComponentInputMeta, WidgetInput } from '@inlay/core';
import type { MetaCubeInfo } from '../api.js';
import {
  cubeOfInput,
  GRANULARITIES,
  memberChoices,
  otherMemberChoices,
  parseDefault,
  valueText,
  variableChoices,
} from '../editor/choices.js';
import { type Draft, ensureDatasetsFor, setInput } from '../editor/document.js';
import { CheckField, CommitField, SelectField } from './fields.js';

type Widget = Draft['widgets'][number];
type Change = (edit: (doc: Draft) => Draft) => void;
const MEMBER_TYPES = new Set(['measure', 'dimension', 'dimensionOrMeasure']);

/** One input of the selected widget: a value that fits its type, or a variable bound to it. */
export function InputEditor(props: {
  doc: Draft;
  widget: Widget;
  input: ComponentInputMeta;
  datasetInput: string | undefined;
  cubes: MetaCubeInfo[];
  onChange: Change;
}) {
  const { doc, widget, input, onChange } = props;
  const current = widget.inputs.find((i) => i.input === input.name);
  const bound = current?.valueType === 'VARIABLE';
  const variables = variableChoices(doc, input);
  // A member of a joined cube brings a dataset for that cube along (in the same undo step).
  const set = (next: Omit<WidgetInput, 'input'> | undefined) =>
    onChange((d) => {
      const changed = setInput(d, widget.id, input.name, next);
      if (next?.valueType !== 'VALUE' || !MEMBER_TYPES.has(input.type)) return changed;
      const members = Array.isArray(next.value) ? next.value.map(String) : [String(next.value)];
      return ensureDatasetsFor(changed, members);
    });
  const value = (v: unknown, extra: Partial<WidgetInput> = {}) =>
    set({
      inputType: input.type,
      valueType: 'VALUE',
      value: v,
      ...(input.array ? { array: true } : {}),
      ...extra,
    });

  return (
    <div className="input-editor">
      {!bound && <ValueControl {...props} current={current} value={value} set={set} />}
      {variables.length > 0 && (
        <SelectField
          label={`${input.label}: bind to variable`}
          value={bound ? String(current.value) : ''}
          onChange={([name]) =>
            name
              ? set({
                  inputType: input.type,
                  valueType: 'VARIABLE',
                  value: name,
                  ...(input.array ? { array: true } : {}),
                })
              : set(undefined)
          }
        >
          <option value="">Not bound (a fixed value)</option>
          {variables.map((v) => (
            <option key={v.name} value={v.name}>
              Bind to variable {v.name}
            </option>
          ))}
        </SelectField>
      )}
    </div>
  );
}

function ValueControl(props: {
  doc: Draft;
  widget: Widget;
  input: ComponentInputMeta;
  datasetInput: string | undefined;
  cubes: MetaCubeInfo[];
  current: WidgetInput | undefined;
  value: (v: unknown, extra?: Partial<WidgetInput>) => void;
  set: (next: Omit<WidgetInput, 'input'> | undefined) => void;
}) {
  const { doc, widget, input, current, value, set } = props;
  const label = input.required ? `${input.label} (required)` : input.label;
  const v = current?.value;
  if (input.type === 'dataset') {
    return (
      <SelectField
        label={label}
        value={typeof v === 'string' ? v : ''}
        hint={doc.datasets.length === 0 ? 'Add a dataset in the dashboard panel first.' : undefined}
        onChange={([name]) => (name ? value(name) : set(undefined))}
      >
        <option value="">None</option>
        {doc.datasets.map((d) => (
          <option key={d.name} value={d.name}>
            {d.name} ({d.model})
          </option>
        ))}
      </SelectField>
    );
  }
  if (MEMBER_TYPES.has(input.type)) {
    const dsInput = input.config?.dataset ?? props.datasetInput;
    const cubeName = dsInput ? cubeOfInput(doc, widget.inputs, dsInput) : undefined;
    const cube = props.cubes.find((c) => c.name === cubeName);
    const own = memberChoices(input, cube);
    const others = otherMemberChoices(input, props.cubes, cube?.name);
    const chosen = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
    const subInputs = current?.config?.inputs ?? [];
    const config = {
      ...(dsInput ? { dataset: dsInput } : {}),
      ...(subInputs.length ? { inputs: subInputs } : {}),
    };
    const isTime = [...own, ...others.flatMap((g) => g.members)].some(
      (m) => m.name === chosen[0] && m.type === 'time',
    );
    return (
      <>
        <SelectField
          label={label}
          multiple={Boolean(input.array)}
          value={input.array ? chosen : (chosen[0] ?? '')}
          hint={`${input.array ? 'Choose one or more (Ctrl or Cmd + click). ' : ''}A joined cube’s member adds a dataset for that cube.`}
          onChange={(names) => {
            const picked = names.filter(Boolean);
            if (picked.length === 0) return set(undefined);
            value(input.array ? picked : picked[0], { config });
          }}
        >
          {!input.array && <option value="">None</option>}
          {own.length > 0 && (
            <optgroup label={cube?.title ?? 'Dataset'}>
              {own.map((m) => (
                <option key={m.name} value={m.name}>
                  {m.title} ({m.name})
                </option>
              ))}
            </optgroup>
          )}
          {others.map((g) => (
            <optgroup key={g.cube.name} label={`${g.cube.title} (joined)`}>
              {g.members.map((m) => (
                <option key={m.name} value={m.name}>
                  {m.title} ({m.name})
                </option>
              ))}
            </optgroup>
          ))}
        </SelectField>
        {isTime &&
          (input.inputs ?? [])
            .filter((sub) => sub.type === 'granularity')
            .map((sub) => (
              <SelectField
                key={sub.name}
                label={`${input.label}: ${sub.label}`}
                value={String(subInputs.find((s) => s.input === sub.name)?.value ?? '')}
                onChange={([g]) => {
                  const rest = subInputs.filter((s) => s.input !== sub.name);
                  const inputs = g
                    ? [...rest, { input: sub.name, valueType: 'VALUE' as const, value: g }]
                    : rest;
                  const { inputs: _old, ...base } = config;
                  value(current?.value, { config: inputs.length ? { ...base, inputs } : base });
                }}
              >
                <option value="">None</option>
                {GRANULARITIES.map((g) => (
                  <option key={g} value={g}>
                    {g}
                  </option>
                ))}
              </SelectField>
            ))}
      </>
    );
  }
  if (input.type === 'boolean') {
    return <CheckField label={input.label} checked={Boolean(v)} onChange={(b) => value(b)} />;
  }
  if (input.type === 'granularity') {
    return (
      <SelectField
        label={label}
        value={typeof v === 'string' ? v : ''}
        onChange={([g]) => (g ? value(g) : set(undefined))}
      >
        <option value="">None</option>
        {GRANULARITIES.map((g) => (
          <option key={g} value={g}>
            {g}
          </option>
        ))}
      </SelectField>
    );
  }
  const kind = input.type === 'number' ? 'number' : input.type === 'timeRange' ? 'timeRange' : 'string';
  return (
    <CommitField
      label={label}
      type={kind === 'number' ? 'number' : 'text'}
      value={valueText(v)}
      hint={kind === 'timeRange' ? 'e.g. last 30 days, or 2001-02-01..2001-02-28' : input.description}
      onCommit={(text) => {
        const parsed = parseDefault(kind, text);
        if (parsed.error) return;
        if (parsed.value === undefined) set(undefined);
        else value(parsed.value);
      }}
    />
  );
}
