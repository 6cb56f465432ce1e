import type { DevProblems } from '../editor-ui/useDevReload.js';

const TITLES: Record<DevProblems['source'], string> = {
  build: 'The last save did not build: the page shows the last good build.',
  push: 'The last build could not be pushed to this server.',
  types: 'Type errors (the build itself is served):',
};

/**
 * `inlay dev`'s problems, each with its file and line, until the next good build or until
 * dismissed. An alert, so a screen reader says it when it appears; the terminal lists the same.
 */
export function DevBanner({
  problems,
  onDismiss,
}: {
  problems: DevProblems | undefined;
  onDismiss: () => void;
}) {
  if (!problems) return null;
  return (
    <div role="alert" className="alert dev-banner" aria-label="Build problems">
      <div className="dev-banner-head">
        <strong>{TITLES[problems.source]}</strong>
        <button type="button" className="button secondary" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <ul>
        {problems.problems.map((p, i) => (
          // Problems have no identity of their own; the list is replaced whole.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={i}>
            {p.file && (
              <code>
                {p.file}
                {p.line ? `:${p.line}` : ''}
                {p.line && p.column ? `:${p.column}` : ''}
              </code>
            )}
            {p.file ? ' ' : ''}
            <span className="dev-problem">{p.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
