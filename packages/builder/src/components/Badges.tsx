import type { Embeddable } from '../api.js';
import { dateTime, relativeTime } from '../time.js';

/** Where a dashboard comes from: `code` (read-only here) or `builder`. */
export function SourceBadge({ source }: { source: Embeddable['source'] }) {
  return source === 'code' ? (
    <span className="badge code" title="From code: read-only in the builder">
      code<span className="sr-only"> (read-only)</span>
    </span>
  ) : (
    <span className="badge builder">builder</span>
  );
}

/** Publish tags as `production: v3` chips; `none` when there are none. */
export function TagList({ tags }: { tags: Partial<Record<string, string>> }) {
  const entries = Object.entries(tags ?? {});
  if (entries.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="tags">
      {entries.map(([tag, version]) => (
        <li key={tag} className={`tag tag-${tag}`}>
          {tag}: {version}
        </li>
      ))}
    </ul>
  );
}

/** `5 minutes ago`, with the exact time on hover and in the markup. */
export function RelativeTime({ at }: { at: string }) {
  return (
    <time dateTime={at} title={dateTime(at)}>
      {relativeTime(at)}
    </time>
  );
}

/** A missing value in a table cell: a dash, read as "none". */
export function None() {
  return (
    <>
      <span aria-hidden="true" className="muted">
        —
      </span>
      <span className="sr-only">none</span>
    </>
  );
}

/** A version's tags, by name. */
export function TagNames({ tags }: { tags: string[] }) {
  if (tags.length === 0) return <None />;
  return (
    <ul className="tags">
      {tags.map((tag) => (
        <li key={tag} className={`tag tag-${tag}`}>
          {tag}
        </li>
      ))}
    </ul>
  );
}
