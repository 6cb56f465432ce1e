import { type ReactNode, useState } from 'react';
import { ApiError, type Session } from '../api.js';
import { settingsPath, useLocation } from '../router.js';
import { Alert } from './Alert.js';
import { Brand } from './Brand.js';
import { Link } from './Link.js';

export interface FrameProps {
  session: Session;
  onSignOut: () => Promise<void>;
  children: ReactNode;
}

/**
 * The signed-in frame: a header (product, the main menu, who is signed in, sign out) around a
 * page's content. Settings is in the menu for admins only (the server refuses others anyway).
 */
export function Frame({ session, onSignOut, children }: FrameProps) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { user } = session;
  const { path } = useLocation();
  const inSettings = path === '/settings' || path.startsWith('/settings/');
  // `page` on the list itself; `true` (the current section) on a dashboard's own pages.
  const onList = path === '/' || path === '/dashboards';
  const dashboardsCurrent = onList ? 'page' : inSettings ? undefined : 'true';

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
        <div className="topbar-start">
          <Brand />
          <nav aria-label="Main" className="main-nav">
            <Link href="/" aria-current={dashboardsCurrent}>
              Dashboards
            </Link>
            {user.role === 'admin' && (
              <Link href={settingsPath('connections')} aria-current={inSettings ? 'true' : undefined}>
                Settings
              </Link>
            )}
          </nav>
        </div>
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
