import { type FormEvent, useState } from 'react';
import { api, type SavedVersion, type SavedVersionInfo } from '../api.js';
import { type DocumentDiff, diffDocuments } from '../diff.js';
import { errorText } from '../messages.js';
import { Alert } from './Alert.js';
import { DiffView } from './DiffView.js';

type Result = { from: SavedVersion; to: SavedVersion; diff: DocumentDiff };

/** Pick two saved versions, fetch both, and show what changed from the first to the second. */
export function ComparePanel({ id, versions }: { id: string; versions: SavedVersionInfo[] }) {
  const names = versions.map((v) => v.version);
  const [from, setFrom] = useState(names.at(-2) ?? '');
  const [to, setTo] = useState(names.at(-1) ?? '');
  const [result, setResult] = useState<Result>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function compare(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (from === to) {
      setError('Pick two different versions.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const [a, b] = await Promise.all([api.savedVersion(id, from), api.savedVersion(id, to)]);
      setResult({ from: a, to: b, diff: diffDocuments(a.document, b.document) });
    } catch (err) {
      setError(errorText(err, 'Loading the versions failed.'));
    } finally {
      setBusy(false);
    }
  }

  const select = (id: string, label: string, value: string, set: (v: string) => void) => (
    <div className="field inline">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => set(e.target.value)}>
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <section className="section" aria-labelledby="compare-heading">
      <h2 id="compare-heading">Compare versions</h2>
      <form className="compare-form" onSubmit={compare} aria-busy={busy}>
        {select('compare-from', 'From version', from, setFrom)}
        {select('compare-to', 'To version', to, setTo)}
        <button type="submit" className="button secondary" aria-disabled={busy}>
          Compare
        </button>
      </form>
      <Alert message={error} />
      <div aria-live="polite" className="compare-result">
        {result && (
          <>
            <h3>
              {result.from.version} → {result.to.version}
            </h3>
            {result.from.modelVersion !== result.to.modelVersion && (
              <p className="note">
                Models: {result.from.modelVersion ?? 'none'} → {result.to.modelVersion ?? 'none'}
              </p>
            )}
            <DiffView diff={result.diff} from={result.from.version} to={result.to.version} />
          </>
        )}
      </div>
    </section>
  );
}
