import { type FormEvent, type ReactNode, type RefObject, useState } from 'react';
import { errorText } from '../messages.js';
import { Alert } from './Alert.js';
import { Dialog, DialogButtons } from './Dialog.js';

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  returnFocus?: RefObject<HTMLElement | null>;
}

/** "Are you sure?" for what cannot be undone; the request's error is shown in the dialog. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger,
  onConfirm,
  onClose,
  returnFocus,
}: ConfirmDialogProps) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (err) {
      setError(errorText(err, 'The server did not do it.'));
      setBusy(false);
    }
  }

  return (
    <Dialog title={title} onClose={onClose} returnFocus={returnFocus}>
      <form className="form" onSubmit={submit} aria-busy={busy}>
        <div className="dialog-text">{children}</div>
        <Alert message={error} />
        <DialogButtons submitLabel={confirmLabel} busy={busy} onCancel={onClose} danger={danger} />
      </form>
    </Dialog>
  );
}
