/// <reference lib="dom" />

import { type FormEvent, useId, useState } from 'react';
import { adminApi, type Invitation, type WorkspaceUser } from '../admin-api.js';
import type { Role } from '../api.js';
import { Alert } from '../components/Alert.js';
import { RelativeTime } from '../components/Badges.js';
import { CodeSnippet } from '../components/CodeSnippet.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Dialog, DialogButtons } from '../components/Dialog.js';
import { Field } from '../components/Field.js';
import { Notice } from '../components/Notice.js';
import { errorWithHint } from '../messages.js';
import { dateTime } from '../time.js';
import { ListTable } from './ListTable.js';
import { RowButton } from './RowButton.js';
import { useList } from './useList.js';

const ROLES: { role: Role; label: string; what: string }[] = [
  { role: 'viewer', label: 'Viewer', what: 'views and previews dashboards' },
  { role: 'editor', label: 'Editor', what: 'makes and publishes dashboards' },
  { role: 'admin', label: 'Admin', what: 'also connections, environments, API keys and users' },
];

type Open = { kind: 'invite' } | { kind: 'remove'; of: WorkspaceUser };

/** An address and a role, then the one-time sign-up link to give to that person. */
function InviteDialog({ onClose }: { onClose: () => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [made, setMade] = useState<Invitation>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const roleId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) return setError('Enter the person’s email address.');
    setBusy(true);
    setError(undefined);
    try {
      setMade(await adminApi.invite(email.trim(), role));
    } catch (err) {
      setError(errorWithHint(err, 'The server did not make the invitation.'));
    } finally {
      setBusy(false);
    }
  }

  if (made) {
    return (
      <Dialog title={`Invitation for ${made.email}`} onClose={onClose}>
        <div className="form">
          <p className="note" role="status">
            Send this link to {made.email}. It makes their account as {made.role === 'admin' ? 'an' : 'a'}{' '}
            {made.role}, works once, and expires {dateTime(made.expiresAt)}.
          </p>
          <CodeSnippet label="Sign-up link" code={made.link} />
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
    <Dialog title="Invite someone" onClose={onClose}>
      <form className="form" onSubmit={submit} aria-busy={busy} noValidate>
        <Field
          label="Email"
          type="email"
          autoComplete="off"
          spellCheck={false}
          maxLength={320}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <div className="field">
          <label htmlFor={roleId}>Role</label>
          <select
            id={roleId}
            value={role}
            aria-describedby={`${roleId}-hint`}
            onChange={(e) => setRole(e.target.value as Role)}
          >
            {ROLES.map((r) => (
              <option key={r.role} value={r.role}>
                {r.label}
              </option>
            ))}
          </select>
          <p className="hint" id={`${roleId}-hint`}>
            {ROLES.find((r) => r.role === role)?.label}: {ROLES.find((r) => r.role === role)?.what}.
          </p>
        </div>
        <Alert message={error} />
        <DialogButtons submitLabel="Make sign-up link" busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

/**
 * `/settings/users`: who may sign in to the builder, with their role (changed here, never one's
 * own) and status; invite by a one-time link; remove (disabled, signed out, their keys revoked).
 */
export function UsersSection({ self }: { self: string }) {
  const [loaded, reload] = useList(adminApi.users, 'Loading the users failed.');
  const [open, setOpen] = useState<Open>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();

  async function changeRole(u: WorkspaceUser, role: Role) {
    setNotice(undefined);
    setError(undefined);
    try {
      await adminApi.setRole(u.id, role);
      setNotice(`${u.email} is now ${role === 'admin' ? 'an' : 'a'} ${role}.`);
    } catch (err) {
      setError(errorWithHint(err, 'The server did not change the role.'));
    }
    reload();
  }

  return (
    <>
      <p className="note intro">
        People who sign in to the builder. Invite someone with a one-time sign-up link; viewers look, editors
        make dashboards, admins manage everything here.
      </p>
      <div className="toolbar">
        <button type="button" className="button primary" onClick={() => setOpen({ kind: 'invite' })}>
          Invite someone
        </button>
      </div>
      <Alert message={loaded.state === 'failed' ? loaded.error : error} />
      <Notice message={notice} />
      {loaded.state === 'loading' && <p className="note">Loading users…</p>}
      {loaded.state === 'done' && (
        <ListTable label="Users" columns={['User', 'Role', 'Status']}>
          {loaded.items.map((u) => {
            const me = u.id === self;
            const active = !u.disabledAt;
            return (
              <tr key={u.id} className={active ? undefined : 'revoked'}>
                <th scope="row" className="wrap">
                  {u.email}
                  {me && <span className="subtitle">you</span>}
                  {u.displayName && !me && <span className="subtitle">{u.displayName}</span>}
                </th>
                <td data-label="Role">
                  {me || !active ? (
                    u.role
                  ) : (
                    <select
                      className="inline-select"
                      aria-label={`Role of ${u.email}`}
                      value={u.role}
                      onChange={(e) => changeRole(u, e.target.value as Role)}
                    >
                      {ROLES.map((r) => (
                        <option key={r.role} value={r.role}>
                          {r.role}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
                <td data-label="Status">
                  {active ? (
                    <span className="badge live">active</span>
                  ) : (
                    <span className="badge revoked">
                      removed <RelativeTime at={u.disabledAt!} />
                    </span>
                  )}
                </td>
                <td className="actions">
                  {active && !me && (
                    <div className="row-actions">
                      <RowButton
                        action="Remove"
                        subject={u.email}
                        danger
                        onClick={() => setOpen({ kind: 'remove', of: u })}
                      />
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </ListTable>
      )}

      {open?.kind === 'invite' && (
        <InviteDialog
          onClose={() => {
            setOpen(undefined);
            reload();
          }}
        />
      )}
      {open?.kind === 'remove' && (
        <ConfirmDialog
          title={`Remove ${open.of.email}?`}
          confirmLabel="Remove user"
          danger
          onConfirm={async () => {
            await adminApi.removeUser(open.of.id);
            setOpen(undefined);
            setNotice(`Removed ${open.of.email}.`);
            reload();
          }}
          onClose={() => setOpen(undefined)}
        >
          <p>
            <strong>{open.of.email}</strong> is signed out everywhere and can no longer sign in; API keys they
            made are revoked. The account is kept for the record.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
