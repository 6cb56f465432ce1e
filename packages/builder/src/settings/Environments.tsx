/// <reference lib="dom" />

import { useState } from 'react';
import { adminApi, type Environment } from '../admin-api.js';
import { Alert } from '../components/Alert.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Notice } from '../components/Notice.js';
import { EnvironmentDialog } from './EnvironmentDialog.js';
import { ListTable } from './ListTable.js';
import { RowButton } from './RowButton.js';
import { useList } from './useList.js';

type Open = { kind: 'new' } | { kind: 'edit'; of: Environment } | { kind: 'delete'; of: Environment };

async function load() {
  const [environments, connections] = await Promise.all([
    adminApi.environments(),
    adminApi.connections().then((list) => list.map((c) => c.name)),
  ]);
  return { environments, connections };
}

/**
 * `/settings/environments`: which connection serves each model data_source, per environment.
 * `default` is implicit (each data_source → the connection of the same name) and only shown.
 */
export function EnvironmentsSection() {
  const [loaded, reload] = useList(load, 'Loading the environments failed.');
  const [open, setOpen] = useState<Open>();
  const [notice, setNotice] = useState<string>();

  const done = (message: string) => {
    setOpen(undefined);
    setNotice(message);
    reload();
  };

  return (
    <>
      <p className="note intro">
        A security token names an environment; each model data_source then reads from the connection mapped
        here.
      </p>
      <div className="toolbar">
        <button type="button" className="button primary" onClick={() => setOpen({ kind: 'new' })}>
          New environment
        </button>
      </div>
      <Alert message={loaded.state === 'failed' ? loaded.error : undefined} />
      <Notice message={notice} />
      {loaded.state === 'loading' && <p className="note">Loading environments…</p>}
      {loaded.state === 'done' && (
        <ListTable label="Environments" columns={['Environment', 'Data source → connection']}>
          {loaded.items.environments.map((e) => {
            const implicit = e.name === 'default';
            return (
              <tr key={e.name}>
                <th scope="row" className="mono">
                  {e.name}
                  {implicit && <span className="subtitle">implicit: each data_source → the same name</span>}
                </th>
                <td data-label="Mapping">
                  {e.datasources.length === 0 ? (
                    <span className="muted">nothing mapped</span>
                  ) : (
                    <ul className="mapping-list">
                      {e.datasources.map((d) => (
                        <li key={d.data_source}>
                          <code>{d.data_source}</code> <span aria-hidden="true">→</span>{' '}
                          <span className="sr-only">uses </span>
                          <code>{d.connection}</code>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="actions">
                  {!implicit && (
                    <div className="row-actions">
                      <RowButton
                        action="Edit"
                        subject={e.name}
                        onClick={() => setOpen({ kind: 'edit', of: e })}
                      />
                      <RowButton
                        action="Delete"
                        subject={e.name}
                        danger
                        onClick={() => setOpen({ kind: 'delete', of: e })}
                      />
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </ListTable>
      )}

      {loaded.state === 'done' && (open?.kind === 'new' || open?.kind === 'edit') && (
        <EnvironmentDialog
          {...(open.kind === 'edit' ? { editing: open.of } : {})}
          connections={loaded.items.connections}
          onSaved={(name) => done(`Saved environment ${name}.`)}
          onClose={() => setOpen(undefined)}
        />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${open.of.name}?`}
          confirmLabel="Delete environment"
          danger
          onConfirm={async () => {
            await adminApi.deleteEnvironment(open.of.name);
            done(`Deleted environment ${open.of.name}.`);
          }}
          onClose={() => setOpen(undefined)}
        >
          <p>
            Tokens that name <strong>{open.of.name}</strong> stop getting data until it exists again.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
