/// <reference lib="dom" />
import { type FormEvent, useId, useRef, useState } from 'react';
import { adminApi, type Connection, type ConnectionTypeInfo, type TestResult } from '../admin-api.js';
import { Alert } from '../components/Alert.js';
import { Dialog } from '../components/Dialog.js';
import { Field } from '../components/Field.js';
import { errorWithHint } from '../messages.js';
import {
  CredentialsFields,
  credentialsOf,
  type FieldValues,
  initialValues,
  switchValues,
} from './CredentialsFields.js';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

interface Values {
  name: string;
  type: ConnectionTypeInfo;
  fields: FieldValues;
}

function initial(types: readonly ConnectionTypeInfo[], of: Connection | undefined): Values {
  const type = types.find((t) => t.type === of?.type || t.aliases.includes(of?.type ?? '')) ?? types[0]!;
  return { name: of?.name ?? '', type, fields: initialValues(type, of?.settings) };
}

export interface ConnectionDialogProps {
  /** The connection types the server knows (its drivers' registry); a new connection starts with the first. */
  types: readonly ConnectionTypeInfo[];
  /** The saved connection being edited; a new one without. */
  editing?: Connection;
  onSaved: (name: string) => void;
  onClose: () => void;
}

/**
 * Add or edit a connection: the fields of its type, "Test connection" on what is typed (a blank
 * password on an edit tests with the saved one, on the server), Save.
 */
export function ConnectionDialog({ types, editing, onSaved, onClose }: ConnectionDialogProps) {
  const [v, setV] = useState<Values>(() => initial(types, editing));
  const [error, setError] = useState<string>();
  const [tested, setTested] = useState<TestResult>();
  const [busy, setBusy] = useState<'test' | 'save'>();
  const nameRef = useRef<HTMLInputElement>(null);
  const typeId = useId();
  const keepsPassword = editing?.settings?.hasPassword === true;

  const set = (patch: Partial<Values>) => {
    setV((old) => ({ ...old, ...patch }));
    setTested(undefined);
  };
  function changeType(name: string) {
    const type = types.find((t) => t.type === name) ?? v.type;
    set({ type, fields: switchValues(v.type, type, v.fields) });
  }
  const credentials = () => credentialsOf(v.type, v.fields);

  function problem(): string | undefined {
    if (!editing && !NAME.test(v.name.trim())) {
      nameRef.current?.focus();
      return 'Name the connection: letters, digits, _ . and - (up to 100), e.g. "warehouse".';
    }
    return undefined;
  }

  async function test() {
    if (busy) return;
    setBusy('test');
    setError(undefined);
    setTested(undefined);
    try {
      // A blank password on an edit: the server tests with the saved one.
      const blank = v.type.fields.some((f) => f.secret && v.fields[f.name] === '');
      const from = editing && blank ? editing.name : undefined;
      setTested(await adminApi.testConnection(v.type.type, credentials(), from));
    } catch (err) {
      setError(`Connection failed: ${errorWithHint(err, 'the server could not test it.')}`);
    } finally {
      setBusy(undefined);
    }
  }

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const wrong = problem();
    if (wrong) return setError(wrong);
    setBusy('save');
    setError(undefined);
    try {
      const name = editing?.name ?? v.name.trim();
      if (editing) await adminApi.updateConnection(name, v.type.type, credentials());
      else await adminApi.createConnection(name, v.type.type, credentials());
      onSaved(name);
    } catch (err) {
      setError(errorWithHint(err, 'The server did not save it.'));
      setBusy(undefined);
    }
  }

  return (
    <Dialog title={editing ? `Edit ${editing.name}` : 'New connection'} onClose={onClose} size="wide">
      <form className="form" onSubmit={save} aria-busy={busy !== undefined} noValidate>
        {!editing && (
          <Field
            label="Name"
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="none"
            maxLength={100}
            hint="Models' data_source names it (in the default environment)."
            value={v.name}
            inputRef={nameRef}
            onChange={(e) => set({ name: e.target.value })}
          />
        )}
        <div className="field">
          <label htmlFor={typeId}>Type</label>
          <select id={typeId} value={v.type.type} onChange={(e) => changeType(e.target.value)}>
            {types.map((t) => (
              <option key={t.type} value={t.type}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
        <CredentialsFields
          type={v.type}
          values={v.fields}
          onChange={(name, value) => set({ fields: { ...v.fields, [name]: value } })}
          editing={editing !== undefined}
          keepsPassword={keepsPassword}
        />
        <div role="status" className="notice">
          {tested &&
            `Connected in ${tested.latencyMs ?? '?'} ms.${tested.warning ? ` Note: ${tested.warning}.` : ''}`}
        </div>
        <Alert message={error} />
        <div className="dialog-buttons">
          <button
            type="button"
            className="button secondary test-button"
            onClick={test}
            aria-disabled={!!busy}
          >
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>
          <span className="spacer" />
          <button type="button" className="button secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" aria-disabled={!!busy}>
            {editing ? 'Save changes' : 'Save connection'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
