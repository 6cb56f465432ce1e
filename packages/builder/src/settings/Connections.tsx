/// <reference lib="dom" />

import { useState } from 'react';
import { adminApi, type Connection, type ConnectionTypeInfo } from '../admin-api.js';
import { Alert } from '../components/Alert.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Notice } from '../components/Notice.js';
import { errorWithHint } from '../messages.js';
import { ConnectionDialog } from './ConnectionDialog.js';
import { ListTable } from './ListTable.js';
import { RowButton } from './RowButton.js';
import { useList } from './useList.js';

type Open = { kind: 'new' } | { kind: 'edit'; of: Connection } | { kind: 'delete'; of: Connection };

/** The connections and the types they may be, fetched together so every row has its type's label. */
async function loadConnections(): Promise<{ connections: Connection[]; types: ConnectionTypeInfo[] }> {
  const [connections, types] = await Promise.all([adminApi.connections(), adminApi.connectionTypes()]);
  return { connections, types };
}

/** Where a connection points, in a few words (`admin@127.0.0.1:8812/qdb`); never a secret. */
function where(c: Connection, type: ConnectionTypeInfo | undefined): string {
  const s = c.settings;
  if (!s) return '';
  if (s.host === undefined) {
    // Not a server (a database file): its first field, or what leaving it out means.
    const f = type?.fields.find((x) => !x.secret && x.input !== 'checkbox');
    return f ? String(s[f.name] ?? f.blank ?? '') : '';
  }
  const at = `${s.host}${s.port ? `:${s.port}` : ''}${s.database ? `/${s.database}` : ''}`;
  return s.user ? `${s.user}@${at}` : at;
}

/**
 * `/settings/connections`: the workspace's databases. Add or edit one in a form of its type, test a
 * saved one (its result in the page's status region), delete one no environment uses.
 */
export function ConnectionsSection() {
  const [loaded, reload] = useList(loadConnections, 'Loading the connections failed.');
  const typeOf = (c: Connection) =>
    loaded.state === 'done'
      ? loaded.items.types.find((t) => t.type === c.type || t.aliases.includes(c.type))
      : undefined;
  const [open, setOpen] = useState<Open>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [testing, setTesting] = useState<string>();

  async function test(c: Connection) {
    setTesting(c.name);
    setNotice(undefined);
    setError(undefined);
    try {
      const r = await adminApi.testSavedConnection(c.name);
      setNotice(
        `${c.name}: connected in ${r.latencyMs ?? '?'} ms.${r.warning ? ` Note: ${r.warning}.` : ''}`,
      );
    } catch (err) {
      setError(`${c.name}: connection failed: ${errorWithHint(err, 'the server could not test it.')}`);
    } finally {
      setTesting(undefined);
    }
  }

  const done = (message: string) => {
    setOpen(undefined);
    setError(undefined);
    setNotice(message);
    reload();
  };

  return (
    <>
      <p className="note intro">
        The databases dashboards read. Passwords are stored encrypted and never shown again.
      </p>
      <div className="toolbar">
        <button type="button" className="button primary" onClick={() => setOpen({ kind: 'new' })}>
          New connection
        </button>
      </div>
      <Alert message={loaded.state === 'failed' ? loaded.error : error} />
      <Notice message={notice} />
      {loaded.state === 'loading' && <p className="note">Loading connections…</p>}
      {loaded.state === 'done' && loaded.items.connections.length === 0 && (
        <p className="note">No connections yet. Add the first one with New connection.</p>
      )}
      {loaded.state === 'done' && loaded.items.connections.length > 0 && (
        <ListTable label="Connections" columns={['Name', 'Type', 'Where']}>
          {loaded.items.connections.map((c) => (
            <tr key={c.name}>
              <th scope="row" className="mono">
                {c.name}
              </th>
              <td data-label="Type">{typeOf(c)?.label ?? c.type}</td>
              <td data-label="Where" className="mono wrap">
                {where(c, typeOf(c))}
              </td>
              <td className="actions">
                <div className="row-actions">
                  <button
                    type="button"
                    className="button secondary small"
                    aria-label={`Test ${c.name}`}
                    aria-disabled={testing === c.name}
                    onClick={() => testing !== c.name && test(c)}
                  >
                    {testing === c.name ? 'Testing…' : 'Test'}
                  </button>
                  <RowButton
                    action="Edit"
                    subject={c.name}
                    onClick={() => setOpen({ kind: 'edit', of: c })}
                  />
                  <RowButton
                    action="Delete"
                    subject={c.name}
                    danger
                    onClick={() => setOpen({ kind: 'delete', of: c })}
                  />
                </div>
              </td>
            </tr>
          ))}
        </ListTable>
      )}

      {(open?.kind === 'new' || open?.kind === 'edit') && loaded.state === 'done' && (
        <ConnectionDialog
          types={loaded.items.types}
          {...(open.kind === 'edit' ? { editing: open.of } : {})}
          onSaved={(name) => done(`Saved connection ${name}.`)}
          onClose={() => setOpen(undefined)}
        />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${open.of.name}?`}
          confirmLabel="Delete connection"
          danger
          onConfirm={async () => {
            await adminApi.deleteConnection(open.of.name);
            done(`Deleted connection ${open.of.name}.`);
          }}
          onClose={() => setOpen(undefined)}
        >
          <p>
            Dashboards whose data_source uses <strong>{open.of.name}</strong> stop working. An environment
            that maps to it must be changed first.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
