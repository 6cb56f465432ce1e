/// <reference lib="dom" />
import { type FormEvent, useRef, useState } from 'react';
import type { Embeddable } from '../api.js';
import { errorText } from '../messages.js';
import { slugProblem } from '../slug.js';
import { Alert } from './Alert.js';
import { Dialog, DialogButtons } from './Dialog.js';
import { Field } from './Field.js';

const NAME_HINT = 'Lower-case letters, digits, - and _. Tokens and files call the dashboard by it.';

export interface NameDialogProps {
  title: string;
  submitLabel: string;
  /** The name field's first value (a copy's suggested name). */
  initialName?: string;
  /** Ask for a title too (a new dashboard). */
  withTitle?: boolean;
  /** Sends the request; its error is shown in the dialog. */
  onSubmit: (name: string, title: string) => Promise<Embeddable>;
  onDone: (made: Embeddable) => void;
  onClose: () => void;
}

/**
 * "New dashboard" and "Duplicate": a name (checked here with a helpful message before anything
 * is sent) and, for a new one, a title.
 */
export function NameDialog({
  title,
  submitLabel,
  initialName = '',
  withTitle,
  onSubmit,
  onDone,
  onClose,
}: NameDialogProps) {
  const [name, setName] = useState(initialName);
  const [dashboardTitle, setDashboardTitle] = useState('');
  const [error, setError] = useState<{ text: string; field?: 'name' }>();
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const trimmed = name.trim();
    const problem = slugProblem(trimmed);
    if (problem) {
      setError({ text: problem, field: 'name' });
      nameRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      onDone(await onSubmit(trimmed, dashboardTitle.trim()));
    } catch (err) {
      setError({ text: errorText(err, 'The server did not take it.') });
      setBusy(false);
    }
  }

  return (
    <Dialog title={title} onClose={onClose}>
      <form className="form" onSubmit={submit} aria-busy={busy} noValidate>
        <Field
          label="Name"
          name="name"
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="none"
          required
          maxLength={100}
          hint={NAME_HINT}
          aria-invalid={error?.field === 'name' || undefined}
          value={name}
          inputRef={nameRef}
          onChange={(e) => setName(e.target.value)}
        />
        {withTitle && (
          <Field
            label="Title"
            name="title"
            autoComplete="off"
            maxLength={200}
            hint="Optional: what people see above it."
            value={dashboardTitle}
            onChange={(e) => setDashboardTitle(e.target.value)}
          />
        )}
        <Alert message={error?.text} />
        <DialogButtons submitLabel={submitLabel} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
