import { type FormEvent, useRef, useState } from 'react';
import { api, type Session } from '../api.js';
import { Alert } from '../components/Alert.js';
import { Brand } from '../components/Brand.js';
import { Field } from '../components/Field.js';
import { PageHeading } from '../components/PageHeading.js';
import { errorText } from '../messages.js';

/** `/` when signed out: email and password; the server sets the session cookie. */
export function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await api.signIn(email.trim(), password));
    } catch (err) {
      setError(errorText(err, 'Signing in failed.'));
      setPassword('');
      setBusy(false);
      passwordRef.current?.focus();
    }
  }

  return (
    <main className="card-page">
      <div className="card">
        <Brand />
        <PageHeading>Sign in</PageHeading>
        <form className="form" onSubmit={submit} aria-busy={busy}>
          <Field
            label="Email"
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <Field
            label="Password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            inputRef={passwordRef}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Alert message={error} />
          <button type="submit" className="button primary" aria-disabled={busy}>
            Sign in
          </button>
        </form>
        <p className="note">
          First time here? Open the one-time sign-up link the Inlay server printed when it first started.
        </p>
      </div>
    </main>
  );
}
