/// <reference lib="dom" />
import { type FormEvent, useId, useRef, useState } from 'react';
import { adminApi, type Environment, type Mapping } from '../admin-api.js';
import { Alert } from '../components/Alert.js';
import { Dialog, DialogButtons } from '../components/Dialog.js';
import { Field } from '../components/Field.js';
import { errorWithHint } from '../messages.js';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

export interface EnvironmentDialogProps {
  /** The stored environment being edited; a new one without. */
  editing?: Environment;
  /** The connection names a data source may be mapped to. */
  connections: string[];
  onSaved: (name: string) => void;
  onClose: () => void;
}

/**
 * A new environment, or an environment's mapping: one row per model data_source, each with the
 * connection that serves it there. Checked here (names, a data_source twice) before sending.
 */
export function EnvironmentDialog({ editing, connections, onSaved, onClose }: EnvironmentDialogProps) {
  const [name, setName] = useState(editing?.name ?? '');
  const [rows, setRows] = useState<Mapping[]>(
    editing?.datasources.length
      ? editing.datasources
      : [{ data_source: 'default', connection: connections[0] ?? '' }],
  );
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const base = useId();
  const added = useRef<HTMLInputElement>(null);

  const change = (i: number, patch: Partial<Mapping>) =>
    setRows((old) => old.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  function problem(list: Mapping[]): string | undefined {
    if (!editing && !NAME.test(name.trim())) {
      return 'Name the environment: letters, digits, _ . and - (up to 100), e.g. "production".';
    }
    if (!editing && name.trim() === 'default') return '“default” is implicit: pick another name.';
    const seen = new Set<string>();
    for (const r of list) {
      if (!r.data_source) return 'Every row needs a data source name (a model’s data_source).';
      if (!r.connection) return `Pick a connection for data source ${r.data_source}.`;
      if (seen.has(r.data_source)) return `Data source ${r.data_source} is mapped twice.`;
      seen.add(r.data_source);
    }
    return undefined;
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const list = rows.map((r) => ({ data_source: r.data_source.trim(), connection: r.connection }));
    const wrong = problem(list);
    if (wrong) return setError(wrong);
    setBusy(true);
    setError(undefined);
    try {
      const target = editing?.name ?? name.trim();
      if (editing) await adminApi.updateEnvironment(target, list);
      else await adminApi.createEnvironment(target, list);
      onSaved(target);
    } catch (err) {
      setError(errorWithHint(err, 'The server did not save it.'));
      setBusy(false);
    }
  }

  return (
    <Dialog title={editing ? `Edit ${editing.name}` : 'New environment'} onClose={onClose}>
      <form className="form" onSubmit={submit} aria-busy={busy} noValidate>
        {!editing && (
          <Field
            label="Name"
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="none"
            maxLength={100}
            hint="Security tokens name it (environment) to read from its connections."
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        )}
        <fieldset className="mappings">
          <legend>Data sources</legend>
          {rows.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place while typed.
            <div className="mapping" key={i}>
              <div className="field">
                <label htmlFor={`${base}-ds-${i}`}>Data source</label>
                <input
                  id={`${base}-ds-${i}`}
                  ref={i === rows.length - 1 ? added : undefined}
                  autoComplete="off"
                  spellCheck={false}
                  autoCapitalize="none"
                  value={r.data_source}
                  onChange={(e) => change(i, { data_source: e.target.value })}
                />
              </div>
              <div className="field">
                <label htmlFor={`${base}-conn-${i}`}>Connection</label>
                <select
                  id={`${base}-conn-${i}`}
                  value={r.connection}
                  onChange={(e) => change(i, { connection: e.target.value })}
                >
                  {!connections.includes(r.connection) && (
                    <option value={r.connection}>{r.connection || '—'}</option>
                  )}
                  {connections.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </div>
              <button
                type="button"
                className="button secondary small danger-text"
                aria-label={`Remove data source ${r.data_source || i + 1}`}
                onClick={() => setRows((old) => old.filter((_, j) => j !== i))}
              >
                Remove
              </button>
            </div>
          ))}
          <button
            type="button"
            className="button secondary small"
            onClick={() => {
              setRows((old) => [...old, { data_source: '', connection: connections[0] ?? '' }]);
              // The new row's first input, once it is on the page.
              setTimeout(() => added.current?.focus(), 0);
            }}
          >
            Add data source
          </button>
        </fieldset>
        <Alert message={error} />
        <DialogButtons
          submitLabel={editing ? 'Save changes' : 'Create environment'}
          busy={busy}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
