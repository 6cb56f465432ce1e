/// <reference lib="dom" />
import { type FormEvent, useId, useRef, useState } from 'react';
import {
  adminApi,
  CONNECTION_TYPES,
  type Connection,
  type ConnectionType,
  type TestResult,
} from '../admin-api.js';
import { Alert } from '../components/Alert.js';
import { Dialog } from '../components/Dialog.js';
import { Field } from '../components/Field.js';
import { errorWithHint } from '../messages.js';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
const DEFAULT_PORT: Partial<Record<ConnectionType, string>> = { questdb: '8812', postgres: '5432' };

interface Values {
  name: string;
  type: ConnectionType;
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
  ssl: boolean;
  path: string;
}

function initial(of: Connection | undefined): Values {
  const s = of?.settings;
  const type = (CONNECTION_TYPES.find((t) => t.type === of?.type)?.type ?? 'questdb') as ConnectionType;
  return {
    name: of?.name ?? '',
    type,
    host: s?.host ?? '',
    port: s?.port ? String(s.port) : (DEFAULT_PORT[type] ?? ''),
    database: s?.database ?? '',
    user: s?.user ?? '',
    // Never pre-filled: the saved password stays on the server.
    password: '',
    ssl: s?.ssl ?? false,
    path: s?.path ?? '',
  };
}

/** The credentials the server's form for `type` takes, from what was typed (blanks left out). */
function credentialsOf(v: Values): Record<string, unknown> {
  if (v.type === 'duckdb') return v.path.trim() ? { path: v.path.trim() } : {};
  const out: Record<string, unknown> = { host: v.host.trim(), user: v.user.trim() };
  if (v.port.trim()) out.port = v.port.trim();
  if (v.database.trim()) out.database = v.database.trim();
  if (v.password) out.password = v.password;
  if (v.ssl) out.ssl = true;
  return out;
}

export interface ConnectionDialogProps {
  /** The saved connection being edited; a new one without. */
  editing?: Connection;
  onSaved: (name: string) => void;
  onClose: () => void;
}

/**
 * Add or edit a connection: the fields of its type, "Test connection" on what is typed (a blank
 * password on an edit tests with the saved one, on the server), Save.
 */
export function ConnectionDialog({ editing, onSaved, onClose }: ConnectionDialogProps) {
  const [v, setV] = useState<Values>(() => initial(editing));
  const [error, setError] = useState<string>();
  const [tested, setTested] = useState<TestResult>();
  const [busy, setBusy] = useState<'test' | 'save'>();
  const nameRef = useRef<HTMLInputElement>(null);
  const typeId = useId();
  const sslId = useId();
  const server = v.type !== 'duckdb';
  const keepsPassword = editing?.settings?.hasPassword === true;

  const set = (patch: Partial<Values>) => {
    setV((old) => ({ ...old, ...patch }));
    setTested(undefined);
  };
  function changeType(type: ConnectionType) {
    // A port still at the old type's default follows the new type's.
    const port = v.port === '' || v.port === DEFAULT_PORT[v.type] ? (DEFAULT_PORT[type] ?? '') : v.port;
    set({ type, port });
  }

  function problem(): string | undefined {
    if (!editing && !NAME.test(v.name.trim())) {
      nameRef.current?.focus();
      return 'Name the connection: letters, digits, _ . and - (up to 100), e.g. "questdb".';
    }
    return undefined;
  }

  async function test() {
    if (busy) return;
    setBusy('test');
    setError(undefined);
    setTested(undefined);
    try {
      const from = editing && !v.password ? editing.name : undefined;
      setTested(await adminApi.testConnection(v.type, credentialsOf(v), from));
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
      if (editing) await adminApi.updateConnection(name, v.type, credentialsOf(v));
      else await adminApi.createConnection(name, v.type, credentialsOf(v));
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
          <select id={typeId} value={v.type} onChange={(e) => changeType(e.target.value as ConnectionType)}>
            {CONNECTION_TYPES.map((t) => (
              <option key={t.type} value={t.type}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
        {server ? (
          <>
            <div className="field-row">
              <Field
                label="Host"
                autoComplete="off"
                spellCheck={false}
                autoCapitalize="none"
                placeholder="127.0.0.1"
                value={v.host}
                onChange={(e) => set({ host: e.target.value })}
              />
              <Field
                label="Port"
                inputMode="numeric"
                autoComplete="off"
                value={v.port}
                onChange={(e) => set({ port: e.target.value })}
              />
            </div>
            <div className="field-row even">
              <Field
                label="Database"
                autoComplete="off"
                spellCheck={false}
                autoCapitalize="none"
                placeholder={v.type === 'questdb' ? 'qdb' : 'analytics'}
                hint={v.type === 'questdb' ? 'Optional: qdb by default.' : undefined}
                value={v.database}
                onChange={(e) => set({ database: e.target.value })}
              />
              <Field
                label="User"
                autoComplete="off"
                spellCheck={false}
                autoCapitalize="none"
                value={v.user}
                onChange={(e) => set({ user: e.target.value })}
              />
            </div>
            <Field
              label="Password"
              type="password"
              // Not the admin's own password: the browser must not fill it in or offer to save it.
              autoComplete="new-password"
              hint={
                editing
                  ? keepsPassword
                    ? 'Leave blank to keep the saved password.'
                    : 'No password is saved.'
                  : 'Stored encrypted; never shown again.'
              }
              value={v.password}
              onChange={(e) => set({ password: e.target.value })}
            />
            <div className="field check">
              <input
                id={sslId}
                type="checkbox"
                checked={v.ssl}
                onChange={(e) => set({ ssl: e.target.checked })}
              />
              <label htmlFor={sslId}>Use TLS (SSL)</label>
            </div>
          </>
        ) : (
          <Field
            label="File path"
            autoComplete="off"
            spellCheck={false}
            placeholder="/data/flights.duckdb"
            hint="A DuckDB file the server can read; blank for an empty in-memory database."
            value={v.path}
            onChange={(e) => set({ path: e.target.value })}
          />
        )}
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
