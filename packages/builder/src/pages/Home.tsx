/// <reference lib="dom" />
import { useEffect, useRef, useState } from 'react';
import { canEdit } from '../access.js';
import { api, type Embeddable, type Role } from '../api.js';
import { Alert } from '../components/Alert.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { DashboardTable } from '../components/DashboardTable.js';
import { NameDialog } from '../components/NameDialog.js';
import { Notice } from '../components/Notice.js';
import { PageHeading } from '../components/PageHeading.js';
import { useDebounced, useDocumentTitle } from '../hooks.js';
import { errorText } from '../messages.js';
import { dashboardPath, navigate } from '../router.js';

type Load =
  | { state: 'loading' }
  | { state: 'done'; embeddables: Embeddable[]; search: string }
  | { state: 'failed'; error: string };

type Open = { kind: 'new' } | { kind: 'duplicate'; of: Embeddable } | { kind: 'delete'; of: Embeddable };

const count = (n: number) => (n === 1 ? '1 dashboard' : `${n} dashboards`);

/**
 * `/` (and `/dashboards`) when signed in: the workspace's dashboards, searched on the server as
 * the person types; editors make, duplicate and delete them here.
 */
export default function HomePage({ role }: { role: Role }) {
  const [search, setSearch] = useState('');
  const query = useDebounced(search, 200);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [reloads, setReloads] = useState(0);
  const [open, setOpen] = useState<Open>();
  const [notice, setNotice] = useState<string>();
  const searchRef = useRef<HTMLInputElement>(null);
  /** After a delete the row that opened the dialog is gone: focus goes to the search box. */
  const afterDelete = useRef<HTMLElement | null>(null);
  const editor = canEdit(role);
  useDocumentTitle('Dashboards');

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reloads` asks again after a change.
  useEffect(() => {
    let live = true;
    api.embeddables(query).then(
      (embeddables) => live && setLoad({ state: 'done', embeddables, search: query.trim() }),
      (err: unknown) =>
        live && setLoad({ state: 'failed', error: errorText(err, 'Loading the dashboards failed.') }),
    );
    return () => {
      live = false;
    };
  }, [query, reloads]);

  const changed = (message: string) => {
    setOpen(undefined);
    setNotice(message);
    setReloads((n) => n + 1);
  };
  const searching = load.state === 'done' && load.search !== query.trim();

  return (
    <>
      <PageHeading id="dashboards-heading">Dashboards</PageHeading>
      <div className="toolbar">
        <div className="search">
          <label htmlFor="dashboard-search" className="sr-only">
            Search dashboards
          </label>
          <input
            id="dashboard-search"
            ref={searchRef}
            type="search"
            placeholder="Search dashboards"
            autoComplete="off"
            spellCheck={false}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        {editor && (
          <button type="button" className="button primary" onClick={() => setOpen({ kind: 'new' })}>
            New dashboard
          </button>
        )}
      </div>
      <Alert message={load.state === 'failed' ? load.error : undefined} />
      <Notice message={notice} />
      <p role="status" className="note count">
        {load.state === 'loading' && 'Loading dashboards…'}
        {load.state === 'done' &&
          (load.search
            ? `${count(load.embeddables.length)} match “${load.search}”.`
            : load.embeddables.length === 0
              ? editor
                ? 'No dashboards yet. Make the first one with New dashboard.'
                : 'No dashboards yet.'
              : `${count(load.embeddables.length)}.`)}
      </p>
      {load.state === 'done' && load.embeddables.length > 0 && (
        <DashboardTable
          dashboards={load.embeddables}
          canEdit={editor}
          busy={searching}
          onDuplicate={(of) => setOpen({ kind: 'duplicate', of })}
          onDelete={(of) => {
            afterDelete.current = null;
            setOpen({ kind: 'delete', of });
          }}
        />
      )}

      {open?.kind === 'new' && (
        <NameDialog
          title="New dashboard"
          submitLabel="Create dashboard"
          withTitle
          onSubmit={(name, title) => api.createEmbeddable(name, title || undefined)}
          onDone={(made) => navigate(dashboardPath(made))}
          onClose={() => setOpen(undefined)}
        />
      )}
      {open?.kind === 'duplicate' && (
        <NameDialog
          title={`Duplicate ${open.of.name}`}
          submitLabel="Duplicate"
          initialName={`${open.of.name}-copy`.slice(0, 100)}
          onSubmit={(name) => api.duplicate(open.of.id, name)}
          onDone={(copy) => changed(`Duplicated ${open.of.name} as ${copy.name}.`)}
          onClose={() => setOpen(undefined)}
        />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${open.of.name}?`}
          confirmLabel="Delete dashboard"
          danger
          onConfirm={async () => {
            await api.remove(open.of.id);
            afterDelete.current = searchRef.current;
            changed(`Deleted ${open.of.name}.`);
          }}
          onClose={() => setOpen(undefined)}
          returnFocus={afterDelete}
        >
          <p>
            <strong>{open.of.title ? `${open.of.title} (${open.of.name})` : open.of.name}</strong> and{' '}
            {open.of.latestVersion
              ? `its draft and saved versions (v1 to ${open.of.latestVersion})`
              : 'its draft'}{' '}
            will be deleted for good. Tokens for it stop working.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
