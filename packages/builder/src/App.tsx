import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { ApiError, api, type Session } from './api.js';
import { Brand } from './components/Brand.js';
import { Frame } from './components/Frame.js';
import { PageHeading } from './components/PageHeading.js';
import { errorText } from './messages.js';
import { SignInPage } from './pages/SignIn.js';
import { navigate, useLocation } from './router.js';

/** The signed-in pages load on demand: someone signing in downloads the sign-in page only. */
let homeModule: Promise<typeof import('./pages/Home.js')> | undefined;
const loadHome = () => {
  homeModule ??= import('./pages/Home.js');
  return homeModule;
};
const HomePage = lazy(loadHome);
const SignUpPage = lazy(() => import('./pages/SignUp.js'));

type Auth =
  | { state: 'checking' }
  | { state: 'signedOut' }
  | { state: 'signedIn'; session: Session }
  | { state: 'unreachable'; error: string };

/** Routes: `/` (sign in, or the signed-in home) and `/sign-up?token=…`. */
export function App() {
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });
  const { path, query } = useLocation();

  const check = useCallback(() => {
    setAuth({ state: 'checking' });
    api.session().then(
      (session) => {
        if (session) loadHome();
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
    // Off the sign-up link (its token is spent) and onto the home page.
    if (window.location.pathname !== '/' || window.location.search) navigate('/', { replace: true });
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
  if (path === '/' || path === '/sign-up') {
    if (auth.state === 'signedOut') return <SignInPage onSignedIn={signedIn} />;
    return (
      <Frame session={auth.session} onSignOut={signOut}>
        <Suspense fallback={loading}>
          <HomePage />
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
