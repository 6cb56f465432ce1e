/// <reference lib="dom" />

import { type FormEvent, useState } from 'react';
import { type ApiKey, adminApi } from '../admin-api.js';
import { Alert } from '../components/Alert.js';
import { RelativeTime } from '../components/Badges.js';
import { CodeSnippet } from '../components/CodeSnippet.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Dialog, DialogButtons } from '../components/Dialog.js';
import { Field } from '../components/Field.js';
import { Notice } from '../components/Notice.js';
import { errorWithHint } from '../messages.js';
import { ListTable } from './ListTable.js';
import { RowButton } from './RowButton.js';
import { useList } from './useList.js';

type Open = { kind: 'new' } | { kind: 'revoke'; of: ApiKey };

const labelOf = (k: ApiKey) => k.name ?? (k.configured ? 'Server key (INLAY_API_KEY)' : 'Unnamed key');

/** Label it, make it, then show it this once with Copy and the warning that it will not come back. */
function NewKeyDialog({ onMade, onClose }: { onMade: () => void; onClose: () => void }) {
  const [name, setName] = useState('');
  const [made, setMade] = useState<ApiKey & { key: string }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) return setError('Say what the key is for, e.g. “billing backend”.');
    setBusy(true);
    setError(undefined);
    try {
      setMade(await adminApi.createApiKey(name.trim()));
      onMade();
    } catch (err) {
      setError(errorWithHint(err, 'The server did not make the key.'));
    } finally {
      setBusy(false);
    }
  }

  if (made) {
    return (
      <Dialog title={`API key “${made.name}”`} onClose={onClose}>
        <div className="form">
          <p className="note warning" role="status">
            Copy the key now and keep it somewhere safe: it will not be shown again. Only its first characters
            ({made.prefix}…) are kept to tell it apart.
          </p>
          <CodeSnippet label="API key" code={made.key} />
          <p className="hint">
            Your backend sends it as <code>Authorization: Bearer …</code>; never put it in a web page.
          </p>
          <div className="dialog-buttons">
            <button type="button" className="button primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title="New API key" onClose={onClose}>
      <form className="form" onSubmit={submit} aria-busy={busy} noValidate>
        <Field
          label="Label"
          autoComplete="off"
          maxLength={100}
          hint="What uses it, so it can be told apart later (e.g. “billing backend”)."
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <Alert message={error} />
        <DialogButtons submitLabel="Create key" busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

/**
 * `/settings/api-keys`: the keys a backend uses for the API (security tokens, models, connections).
 * A new key is shown once; a revoked key stops working at once.
 */
export function ApiKeysSection() {
  const [loaded, reload] = useList(adminApi.apiKeys, 'Loading the API keys failed.');
  const [open, setOpen] = useState<Open>();
  const [notice, setNotice] = useState<string>();

  return (
    <>
      <p className="note intro">
        A backend uses an API key to mint security tokens and manage this workspace. Keys act as an admin:
        keep them on servers only.
      </p>
      <div className="toolbar">
        <button type="button" className="button primary" onClick={() => setOpen({ kind: 'new' })}>
          New API key
        </button>
      </div>
      <Alert message={loaded.state === 'failed' ? loaded.error : undefined} />
      <Notice message={notice} />
      {loaded.state === 'loading' && <p className="note">Loading API keys…</p>}
      {loaded.state === 'done' && loaded.items.length === 0 && <p className="note">No API keys yet.</p>}
      {loaded.state === 'done' && loaded.items.length > 0 && (
        <ListTable label="API keys" columns={['Label', 'Key', 'Created', 'Status']}>
          {loaded.items.map((k) => (
            <tr key={k.id} className={k.revokedAt ? 'revoked' : undefined}>
              <th scope="row">{labelOf(k)}</th>
              <td data-label="Key" className="mono">
                {k.prefix}…
              </td>
              <td data-label="Created">
                <RelativeTime at={k.createdAt} />
              </td>
              <td data-label="Status">
                {k.revokedAt ? (
                  <span className="badge revoked">
                    revoked <RelativeTime at={k.revokedAt} />
                  </span>
                ) : (
                  <span className="badge live">live</span>
                )}
              </td>
              <td className="actions">
                {!k.revokedAt && !k.configured && (
                  <div className="row-actions">
                    <RowButton
                      action="Revoke"
                      subject={labelOf(k)}
                      danger
                      onClick={() => setOpen({ kind: 'revoke', of: k })}
                    />
                  </div>
                )}
                {k.configured && <span className="muted small">set by the server</span>}
              </td>
            </tr>
          ))}
        </ListTable>
      )}

      {open?.kind === 'new' && (
        <NewKeyDialog
          onMade={() => {
            setNotice(undefined);
            reload();
          }}
          onClose={() => setOpen(undefined)}
        />
      )}
      {open?.kind === 'revoke' && (
        <ConfirmDialog
          title={`Revoke ${labelOf(open.of)}?`}
          confirmLabel="Revoke key"
          danger
          onConfirm={async () => {
            await adminApi.revokeApiKey(open.of.id);
            setOpen(undefined);
            setNotice(`Revoked ${labelOf(open.of)} (${open.of.prefix}…). It no longer works.`);
            reload();
          }}
          onClose={() => setOpen(undefined)}
        >
          <p>
            The key starting <code>{open.of.prefix}</code> stops working at once: whatever uses it gets 401
            from now on. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
