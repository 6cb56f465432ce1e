import { useState } from 'react';
import { downloadUrl, type PublishTag, type SavedVersionInfo } from '../api.js';
import { dateTime } from '../time.js';
import { None, TagNames } from './Badges.js';
import { PublishMenu } from './PublishMenu.js';

export interface VersionsTableProps {
  dashboardId: string;
  dashboardName: string;
  /** Oldest first, as the API answers; shown newest first. */
  versions: SavedVersionInfo[];
  /** Where each tag points now. */
  tags: Partial<Record<PublishTag, string>>;
  /** Editors on a builder dashboard: the Publish buttons. */
  canPublish: boolean;
  onPublish: (tag: PublishTag, version: string) => void;
}

/** A dashboard's saved versions: when, what, on which models, tags; publish and download each. */
export function VersionsTable({
  dashboardId,
  dashboardName,
  versions,
  tags,
  canPublish,
  onPublish,
}: VersionsTableProps) {
  const [menu, setMenu] = useState<string>();
  return (
    <div className="table-wrap">
      <table className="table stack versions" aria-labelledby="versions-heading">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Created</th>
            <th scope="col">Description</th>
            <th scope="col">Models</th>
            <th scope="col">Tags</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {[...versions].reverse().map((v) => (
            <tr key={v.version}>
              <th scope="row" className="version">
                {v.version}
              </th>
              <td data-label="Created" className="created">
                <time dateTime={v.createdAt}>{dateTime(v.createdAt)}</time>
              </td>
              <td data-label="Description" className="description">
                {v.description || <None />}
              </td>
              <td data-label="Models">{v.modelVersion ? <code>{v.modelVersion}</code> : <None />}</td>
              <td data-label="Tags">
                <TagNames tags={v.tags} />
              </td>
              <td className="actions">
                <div className="row-actions">
                  {canPublish && (
                    <PublishMenu
                      version={v.version}
                      tags={tags}
                      open={menu === v.version}
                      onToggle={(open) => setMenu(open ? v.version : undefined)}
                      onPublish={(tag) => onPublish(tag, v.version)}
                    />
                  )}
                  <a
                    className="button secondary small"
                    href={downloadUrl(dashboardId, v.version)}
                    download={`${dashboardName}.embeddable.yml`}
                    aria-label={`Download ${v.version}`}
                  >
                    Download
                  </a>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
