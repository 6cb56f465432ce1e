/// <reference lib="dom" />
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { ApiError, api, type Session } from './api.js';
import { Brand } from './components/Brand.js';
import { Frame } from './components/Frame.js';
import { PageHeading } from './components/PageHeading.js';
import { errorText } from './messages.js';
import { SignInPage } from './pages/SignIn.js';
import { dashboardIdOf, editorIdOf, navigate, settingsSectionOf, useLocation } from './router.js';

const RELOADED = 'inlay:reloaded-for-chunk';

/**
 * A page's chunk, fetched once. When it cannot be fetched — the server's build changed while this
 * page was open, so the old content-hashed chunk is gone — the app reloads once for the new build.
 */
function chunk<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  const once = (act: (store: Storage) => string | null | undefined) => {
    try {
      return act(window.sessionStorage);
    } catch {
      return 'unavailable';
    }
  };
  return () => {
    loading ??= load().then(
      (module) => {
        once((store) => void store.removeItem(RELOADED));
        return module;
      },
      (err: unknown) => {
        if (once((store) => store.getItem(RELOADED)) !== null) throw err;
        once((store) => void store.setItem(RELOADED, '1'));
        window.location.reload();
        return new Promise<T>(() => {});
      },
    );
    return loading;
  };
}

/** The signed-in pages load on demand: someone signing in downloads the sign-in page only. */
const loadHome = chunk(() => import('./pages/Home.js'));
const HomePage = lazy(loadHome);
const loadDashboard = chunk(() => import('./pages/Dashboard.js'));
const DashboardPage = lazy(loadDashboard);
const loadEditor = chunk(() => import('./pages/Editor.js'));
const EditorPage = lazy(loadEditor);
const loadSettings = chunk(() => import('./pages/Settings.js'));
const SettingsPage = lazy(loadSettings);
const SignUpPage = lazy(chunk(() => import('./pages/SignUp.js')));

type Auth =
  | { state: 'checking' }
  | { state: 'signedOut' }
  | { state: 'signedIn'; session: Session }
  | { state: 'unreachable'; error: string };

/**
 * Routes: `/` and `/dashboards` (sign in, or the dashboards list), `/dashboards/<id>` (sign in,
 * or that dashboard), `/dashboards/<id>/edit` (its editor), `/settings/<section>` (the admin's
 * connections, environments, API keys and users), `/sign-up?token=…`.
 */
export function App() {
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });
  const { path, query } = useLocation();

  const check = useCallback(() => {
    setAuth({ state: 'checking' });
    api.session().then(
      (session) => {
        if (session) {
          loadHome();
          if (dashboardIdOf(window.location.pathname)) loadDashboard();
          if (editorIdOf(window.location.pathname)) loadEditor();
          if (settingsSectionOf(window.location.pathname)) loadSettings();
        }
        setAuth(session ? { state: 'signedIn', session } : { state: 'signedOut' });
      },
      (err: unknown) =>
        setAuth({
          state: 'unreachable',
          error: errorText(err, 'Asking the server who is signed in failed.'),
        }),
    );
  }, []);
  useEffect(check, [check]);

  // Signed in already: the sign-up link has nothing left to do.
  useEffect(() => {
    if (auth.state === 'signedIn' && path === '/sign-up') navigate('/', { replace: true });
  }, [auth.state, path]);

  const signedIn = useCallback((session: Session) => {
    setAuth({ state: 'signedIn', session });
    // Off the sign-up link (its token is spent) and onto the home page; any other page stays.
    if (window.location.pathname === '/sign-up') navigate('/', { replace: true });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } catch (err) {
      // Already signed out on the server: the page just catches up.
      if (!(err instanceof ApiError && err.status === 401)) throw err;
    }
    setAuth({ state: 'signedOut' });
  }, []);

  if (auth.state === 'checking') {
    return (
      <p role="status" className="loading">
        Loading…
      </p>
    );
  }
  if (auth.state === 'unreachable') {
    return (
      <main className="card-page">
        <div className="card">
          <Brand />
          <PageHeading>Inlay is not answering</PageHeading>
          <p role="alert" className="alert">
            {auth.error}
          </p>
          <button type="button" className="button primary" onClick={check}>
            Try again
          </button>
        </div>
      </main>
    );
  }

  const loading = (
    <p role="status" className="loading">
      Loading…
    </p>
  );

  if (path === '/sign-up' && auth.state !== 'signedIn') {
    return (
      <Suspense fallback={loading}>
        <SignUpPage token={query.get('token')} onSignedUp={signedIn} />
      </Suspense>
    );
  }
  const dashboardId = dashboardIdOf(path);
  const editorId = editorIdOf(path);
  const section = settingsSectionOf(path);
  if (path === '/' || path === '/sign-up' || path === '/dashboards' || dashboardId || editorId || section) {
    if (auth.state === 'signedOut') return <SignInPage onSignedIn={signedIn} />;
    const { role } = auth.session.user;
    return (
      <Frame session={auth.session} onSignOut={signOut}>
        <Suspense fallback={loading}>
          {section ? (
            <SettingsPage section={section} session={auth.session} />
          ) : editorId ? (
            <EditorPage key={editorId} id={editorId} role={role} csrfToken={auth.session.csrfToken} />
          ) : dashboardId ? (
            <DashboardPage key={dashboardId} id={dashboardId} role={role} />
          ) : (
            <HomePage role={role} />
          )}
        </Suspense>
      </Frame>
    );
  }
  return (
    <main className="card-page">
      <div className="card">
        <Brand />
        <PageHeading>Page not found</PageHeading>
        <p className="note">
          Nothing lives at <code>{path}</code>. <a href="/">Go to the start page</a>.
        </p>
      </div>
    </main>
  );
}
