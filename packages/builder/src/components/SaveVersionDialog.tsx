import { type FormEvent, useState } from 'react';
import { api, type SavedVersion } from '../api.js';
import { errorText } from '../messages.js';
import { Alert } from './Alert.js';
import { Dialog, DialogButtons } from './Dialog.js';
import { TextAreaField } from './Field.js';

/** "Save version": the draft becomes the next `vN`, with what the person says it changes. */
export function SaveVersionDialog({
  id,
  nextVersion,
  onSaved,
  onClose,
}: {
  id: string;
  nextVersion: string;
  onSaved: (saved: SavedVersion) => void;
  onClose: () => void;
}) {
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await api.saveVersion(id, description.trim()));
    } catch (err) {
      setError(errorText(err, 'Saving the version failed.'));
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Save the draft as ${nextVersion}`} onClose={onClose}>
      <form className="form" onSubmit={submit} aria-busy={busy}>
        <TextAreaField
          label="Description"
          name="description"
          rows={3}
          maxLength={2000}
          hint="What changed, for whoever publishes or rolls back later. Optional."
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <Alert message={error} />
        <DialogButtons submitLabel="Save version" busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
