import { type ReactNode, useState } from 'react';
import { ApiError, type Session } from '../api.js';
import { Alert } from './Alert.js';
import { Brand } from './Brand.js';

export interface FrameProps {
  session: Session;
  onSignOut: () => Promise<void>;
  children: ReactNode;
}

/** The signed-in frame: a header (product, who is signed in, sign out) around a page's content. */
export function Frame({ session, onSignOut, children }: FrameProps) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { user } = session;

  async function signOut() {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await onSignOut();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Signing out failed.');
      setBusy(false);
    }
  }

  return (
    <div className="frame">
      <header className="topbar">
        <Brand />
        <div className="account">
          <span className="who">
            <span className="email">{user.email}</span>{' '}
            <span className="role">
              <span className="sr-only">role: </span>
              {user.role}
            </span>
          </span>
          <button type="button" className="button secondary" onClick={signOut} aria-disabled={busy}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content">
        {error && <Alert message={error} />}
        {children}
      </main>
    </div>
  );
}
