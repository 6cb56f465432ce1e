import type { DocumentDiff, ItemChanges } from '../diff.js';

const KINDS = [
  ['variables', 'Variables'],
  ['datasets', 'Datasets'],
  ['widgets', 'Widgets'],
] as const;

function quoted(text: string | undefined) {
  return text ? `“${text}”` : 'none';
}

function Items({ label, changes }: { label: string; changes: ItemChanges }) {
  if (changes.added.length + changes.removed.length + changes.changed.length === 0) return null;
  return (
    <div className="diff-group">
      <h4>{label}</h4>
      <ul className="diff-list">
        {changes.added.map((key) => (
          <li key={`+${key}`} className="diff-added">
            <span className="diff-kind">added</span> <code>{key}</code>
          </li>
        ))}
        {changes.removed.map((key) => (
          <li key={`-${key}`} className="diff-removed">
            <span className="diff-kind">removed</span> <code>{key}</code>
          </li>
        ))}
        {changes.changed.map((c) => (
          <li key={`~${c.key}`} className="diff-changed">
            <span className="diff-kind">changed</span> <code>{c.key}</code>:{' '}
            {c.fields.map((f, i) => (
              <span key={f}>
                {i > 0 && ', '}
                <code>{f}</code>
              </span>
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A diff as lists: the title and description, then variables, datasets and widgets. */
export function DiffView({ diff, from, to }: { diff: DocumentDiff; from: string; to: string }) {
  if (diff.same) {
    return (
      <p className="note">
        {from} and {to} have the same title, description, variables, datasets and widgets.
      </p>
    );
  }
  return (
    <div className="diff">
      {diff.text.length > 0 && (
        <div className="diff-group">
          <h4>Text</h4>
          <ul className="diff-list">
            {diff.text.map((t) => (
              <li key={t.field} className="diff-changed">
                <span className="diff-kind">{t.field}</span> {quoted(t.from)} → {quoted(t.to)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {KINDS.map(([kind, label]) => (
        <Items key={kind} label={label} changes={diff[kind]} />
      ))}
    </div>
  );
}
