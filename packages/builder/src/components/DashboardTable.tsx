import type { Embeddable } from '../api.js';
import { dashboardPath } from '../router.js';
import { None, RelativeTime, SourceBadge, TagList } from './Badges.js';
import { Link } from './Link.js';

export interface DashboardTableProps {
  dashboards: Embeddable[];
  /** Editors and admins: the Duplicate and Delete buttons. */
  canEdit: boolean;
  busy: boolean;
  onDuplicate: (d: Embeddable) => void;
  onDelete: (d: Embeddable) => void;
}

/** The dashboards list: name (a link to its page) and title, source, versions, tags, draft. */
export function DashboardTable({ dashboards, canEdit, busy, onDuplicate, onDelete }: DashboardTableProps) {
  return (
    <div className="table-wrap">
      <table className="table stack" aria-labelledby="dashboards-heading" aria-busy={busy}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Source</th>
            <th scope="col">Latest</th>
            <th scope="col">Published</th>
            <th scope="col">Draft saved</th>
            {canEdit && (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {dashboards.map((d) => (
            <tr key={d.id}>
              <th scope="row">
                <Link href={dashboardPath(d)} className="name">
                  {d.name}
                </Link>
                {d.title && <span className="subtitle">{d.title}</span>}
              </th>
              <td data-label="Source">
                <SourceBadge source={d.source} />
              </td>
              <td data-label="Latest">{d.latestVersion ?? <None />}</td>
              <td data-label="Published">
                <TagList tags={d.tags} />
              </td>
              <td data-label="Draft saved">
                {d.draftUpdatedAt ? <RelativeTime at={d.draftUpdatedAt} /> : <None />}
              </td>
              {canEdit && (
                <td className="actions">
                  <div className="row-actions">
                    <button
                      type="button"
                      className="button secondary small"
                      aria-label={`Duplicate ${d.name}`}
                      onClick={() => onDuplicate(d)}
                    >
                      Duplicate
                    </button>
                    {d.source === 'builder' && (
                      <button
                        type="button"
                        className="button secondary small danger-text"
                        aria-label={`Delete ${d.name}`}
                        onClick={() => onDelete(d)}
                      >
                        Delete
                      </button>
                    )}
                  </div>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
