/// <reference lib="dom" />
import { type ReactNode, type RefObject, useId, useLayoutEffect, useRef } from 'react';

export interface DialogProps {
  title: string;
  /** Escape, Cancel, or the parent closing it. */
  onClose: () => void;
  children: ReactNode;
  /** Where focus goes on closing when `current` is set (what opened it may be gone); else back to the opener. */
  returnFocus?: RefObject<HTMLElement | null>;
  /** `wide` for a longer form (a connection's fields). */
  size?: 'wide';
}

/**
 * A modal dialog on the native `<dialog>` (`showModal()`): the rest of the page is inert while it
 * is open (focus stays inside), Escape closes it, its title names it, and focus goes back to
 * what opened it when that is still on the page. Shown while mounted.
 */
export function Dialog({ title, onClose, children, returnFocus, size }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useRef(onClose);
  close.current = onClose;
  const focusTarget = useRef(returnFocus);
  focusTarget.current = returnFocus;

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      const target = focusTarget.current?.current ?? opener;
      if (target?.isConnected) target.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={size ? `dialog ${size}` : 'dialog'}
      aria-labelledby={titleId}
      // Escape: tell the parent now, not at the `close` event, which comes a task later. Focus is
      // back on the opener by then, and an Enter pressed in between would reopen a dialog the
      // late event then closes.
      onCancel={() => close.current()}
      onClose={() => close.current()}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}

/** A dialog's Cancel and main buttons, main last. */
export function DialogButtons({
  submitLabel,
  busy,
  onCancel,
  danger,
}: {
  submitLabel: string;
  busy: boolean;
  onCancel: () => void;
  danger?: boolean;
}) {
  return (
    <div className="dialog-buttons">
      <button type="button" className="button secondary" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className={`button ${danger ? 'danger' : 'primary'}`} aria-disabled={busy}>
        {submitLabel}
      </button>
    </div>
  );
}
