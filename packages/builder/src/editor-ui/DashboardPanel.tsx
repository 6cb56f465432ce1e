import { useState } from 'react';
import type { MetaCubeInfo } from '../api.js';
import { Field } from '../components/Field.js';
import { parseDefault, valueText } from '../editor/choices.js';
import {
  addDataset,
  addVariable,
  type Draft,
  removeVariable,
  setTitle,
  updateVariable,
} from '../editor/document.js';
import { DatasetEditor } from './DatasetEditor.js';
import { CommitField, SelectField } from './fields.js';

const VARIABLE_TYPES = [
  'string',
  'number',
  'boolean',
  'time',
  'timeRange',
  'granularity',
  'dimension',
  'measure',
];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** With no widget selected: the dashboard's title, datasets (and their filters) and variables. */
export function DashboardPanel(props: {
  doc: Draft;
  cubes: MetaCubeInfo[];
  onChange: (edit: (doc: Draft) => Draft) => boolean;
}) {
  const { doc, cubes, onChange } = props;
  const [dsName, setDsName] = useState('');
  const [model, setModel] = useState('');
  const [varName, setVarName] = useState('');
  const [varType, setVarType] = useState('string');
  const [varDefault, setVarDefault] = useState('');
  const [problem, setProblem] = useState<string>();
  const [editingVar, setEditingVar] = useState<string>();

  function newDataset() {
    const name = dsName.trim();
    if (!NAME.test(name) || !model) {
      setProblem('A dataset needs a name (letters, digits and _) and a model.');
      return;
    }
    setProblem(undefined);
    if (onChange((d) => addDataset(d, { name, model }))) setDsName('');
  }
  function changeDefault(name: string, type: string, text: string) {
    const parsed = parseDefault(type, text);
    if (parsed.error) {
      setProblem(`The default value of ${name} should be ${parsed.error}`);
      return;
    }
    setProblem(undefined);
    onChange((d) => updateVariable(d, name, { defaultValue: parsed.value }));
  }

  function newVariable() {
    const name = varName.trim();
    if (!NAME.test(name)) {
      setProblem('A variable needs a name: letters, digits and _, not starting with a digit.');
      return;
    }
    const parsed = parseDefault(varType, varDefault);
    if (parsed.error) {
      setProblem(`The default value should be ${parsed.error}`);
      return;
    }
    setProblem(undefined);
    const variable = {
      name,
      type: varType,
      ...(parsed.value !== undefined ? { defaultValue: parsed.value } : {}),
    };
    if (onChange((d) => addVariable(d, variable))) {
      setVarName('');
      setVarDefault('');
    }
  }

  return (
    <section className="panel" aria-labelledby="dashboard-panel-heading">
      <h2 id="dashboard-panel-heading">Dashboard</h2>
      <div className="form">
        <CommitField
          label="Title"
          value={doc.title ?? ''}
          onCommit={(t) => onChange((d) => setTitle(d, t))}
        />
      </div>
      <p role="alert" className="alert">
        {problem}
      </p>

      <h3>Datasets</h3>
      {doc.datasets.length === 0 && (
        <p className="note">No datasets yet: widgets read their data through one.</p>
      )}
      {doc.datasets.map((ds) => (
        <DatasetEditor key={ds.name} doc={doc} dataset={ds} cubes={cubes} onChange={onChange} />
      ))}
      <fieldset className="add-form">
        <legend>New dataset</legend>
        <Field label="Dataset name" value={dsName} onChange={(e) => setDsName(e.target.value)} />
        <SelectField label="Model" value={model} onChange={([m]) => setModel(m ?? '')}>
          <option value="">Choose a model</option>
          {cubes.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <button type="button" className="button secondary" onClick={newDataset}>
          Add dataset
        </button>
      </fieldset>

      <h3>Variables</h3>
      {doc.variables.length === 0 ? (
        <p className="note">No variables yet: a control sets one, filters and inputs read it.</p>
      ) : (
        <ul className="variables" aria-label="Variables">
          {doc.variables.map((v) => (
            <li key={v.name}>
              <code>{v.name}</code> <span className="muted">{v.type}</span>
              {v.defaultValue !== undefined && v.defaultValue !== null && (
                <span className="muted"> default {valueText(v.defaultValue)}</span>
              )}{' '}
              <button
                type="button"
                className="link-button"
                aria-expanded={editingVar === v.name}
                onClick={() => setEditingVar(editingVar === v.name ? undefined : v.name)}
              >
                Edit variable {v.name}
              </button>{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => onChange((d) => removeVariable(d, v.name))}
              >
                Remove variable {v.name}
              </button>
              {editingVar === v.name && (
                <CommitField
                  label={`Default of ${v.name}`}
                  value={valueText(v.defaultValue)}
                  onCommit={(text) => changeDefault(v.name, v.type, text)}
                  hint="Empty: no default. Changed when you leave the field or press Enter."
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <fieldset className="add-form">
        <legend>New variable</legend>
        <Field label="Variable name" value={varName} onChange={(e) => setVarName(e.target.value)} />
        <SelectField label="Variable type" value={varType} onChange={([t]) => setVarType(t ?? 'string')}>
          {VARIABLE_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </SelectField>
        <Field
          label="Default value"
          value={varDefault}
          onChange={(e) => setVarDefault(e.target.value)}
          hint="Empty: no value (filters bound to it drop). A timeRange: last 30 days, or 2001-02-01..2001-02-28."
        />
        <button type="button" className="button secondary" onClick={newVariable}>
          Add variable
        </button>
      </fieldset>
    </section>
  );
}
