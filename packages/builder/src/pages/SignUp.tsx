import { type FormEvent, useRef, useState } from 'react';
import { api, type Session } from '../api.js';
import { Alert } from '../components/Alert.js';
import { Brand } from '../components/Brand.js';
import { Field } from '../components/Field.js';
import { PageHeading } from '../components/PageHeading.js';
import { errorText } from '../messages.js';

export const MIN_PASSWORD_LENGTH = 12;

/**
 * `/sign-up?token=…`: the one-time link (printed by the server on its first start, or an
 * invitation from Settings → Users) creates the account and signs it in. The passwords are checked here before anything is sent.
 */
export default function SignUpPage({
  token,
  onSignedUp,
}: {
  token: string | null;
  onSignedUp: (session: Session) => void;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<{ text: string; field?: 'password' | 'confirm' }>();
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);

  if (!token) {
    return (
      <main className="card-page">
        <div className="card">
          <Brand />
          <PageHeading>Create an account</PageHeading>
          <p role="alert" className="alert">
            This page needs a one-time sign-up link: the one the Inlay server printed when it first started,
            or an invitation from an admin (it ends in <code>?token=…</code>).
          </p>
          <p className="note">
            <a href="/">Sign in</a> if you already have an account.
          </p>
        </div>
      </main>
    );
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || !token) return;
    if (password.length < MIN_PASSWORD_LENGTH) {
      setError({ text: `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`, field: 'password' });
      passwordRef.current?.focus();
      return;
    }
    if (password !== confirm) {
      setError({ text: 'The two passwords do not match.', field: 'confirm' });
      confirmRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      onSignedUp(await api.signUp(token, email.trim(), password));
    } catch (err) {
      setError({ text: errorText(err, 'Creating the account failed.') });
      setBusy(false);
    }
  }

  return (
    <main className="card-page">
      <div className="card">
        <Brand />
        <PageHeading>Create your account</PageHeading>
        <p className="note">The link works once: it creates your account and signs you in.</p>
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
            name="new-password"
            autoComplete="new-password"
            required
            hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
            aria-invalid={error?.field === 'password' || undefined}
            value={password}
            inputRef={passwordRef}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Field
            label="Confirm password"
            type="password"
            name="confirm-password"
            autoComplete="new-password"
            required
            aria-invalid={error?.field === 'confirm' || undefined}
            value={confirm}
            inputRef={confirmRef}
            onChange={(e) => setConfirm(e.target.value)}
          />
          <Alert message={error?.text} />
          <button type="submit" className="button primary" aria-disabled={busy}>
            Create account
          </button>
        </form>
      </div>
    </main>
  );
}
