import { useCallback, useEffect, useState } from 'react';
import { canEdit } from '../access.js';
import {
  ApiError,
  api,
  type OpenedEmbeddable,
  type PublishTag,
  type Role,
  type SavedVersionInfo,
} from '../api.js';
import { Alert } from '../components/Alert.js';
import { RelativeTime, SourceBadge } from '../components/Badges.js';
import { ComparePanel } from '../components/ComparePanel.js';
import { DevBanner } from '../components/DevBanner.js';
import { EmbedPanel } from '../components/EmbedPanel.js';
import { Link } from '../components/Link.js';
import { NameDialog } from '../components/NameDialog.js';
import { Notice } from '../components/Notice.js';
import { PageHeading } from '../components/PageHeading.js';
import { publishAction } from '../components/PublishMenu.js';
import { SaveVersionDialog } from '../components/SaveVersionDialog.js';
import { VersionsTable } from '../components/VersionsTable.js';
import { useDevReload } from '../editor-ui/useDevReload.js';
import { useDocumentTitle } from '../hooks.js';
import { errorText } from '../messages.js';
import { dashboardPath, editorPath, navigate } from '../router.js';

type Load =
  | { state: 'loading' }
  | { state: 'done'; dashboard: OpenedEmbeddable; versions: SavedVersionInfo[] }
  | { state: 'missing' }
  | { state: 'failed'; error: string };

const nextVersion = (latest: string | null) => `v${latest ? Number(latest.slice(1)) + 1 : 1}`;

/**
 * `/dashboards/<id>`: one dashboard — its saved versions (publish, roll back, download), saving
 * the draft as a version, comparing two versions, and the code to embed it.
 */
export default function DashboardPage({ id, role }: { id: string; role: Role }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [dialog, setDialog] = useState<'save' | 'duplicate'>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();

  useDocumentTitle(
    load.state === 'done'
      ? load.dashboard.title || load.dashboard.name
      : load.state === 'missing'
        ? 'No such dashboard'
        : 'Dashboard',
  );

  const refresh = useCallback(async () => {
    try {
      const [dashboard, versions] = await Promise.all([api.embeddable(id), api.savedVersions(id)]);
      setLoad({ state: 'done', dashboard, versions });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setLoad({ state: 'missing' });
      else setLoad({ state: 'failed', error: errorText(err, 'Loading the dashboard failed.') });
    }
  }, [id]);
  useEffect(() => {
    setLoad({ state: 'loading' });
    void refresh();
  }, [refresh]);
  // Under `inlay dev`: a push may have added versions of a dashboard from code.
  const dev = useDevReload(refresh);

  const back = (
    <p className="back">
      <Link href="/">← Dashboards</Link>
    </p>
  );
  if (load.state !== 'done') {
    return (
      <>
        {back}
        {load.state === 'loading' ? (
          <p role="status" className="note">
            Loading the dashboard…
          </p>
        ) : (
          <>
            <PageHeading>{load.state === 'missing' ? 'No such dashboard' : 'Dashboard'}</PageHeading>
            <Alert
              message={
                load.state === 'missing'
                  ? 'There is no dashboard here: it may have been deleted or renamed.'
                  : load.error
              }
            />
          </>
        )}
      </>
    );
  }

  const { dashboard: d, versions } = load;
  const editor = canEdit(role);
  const fromBuilder = d.source === 'builder';

  async function publish(tag: PublishTag, version: string) {
    const action = publishAction(tag, version, d.tags[tag]);
    setNotice(undefined);
    setError(undefined);
    try {
      await api.publish(d.id, tag, version);
      await refresh();
      setNotice(
        action.kind === 'rollBack' ? `Rolled back ${tag} to ${version}.` : `Published ${version} to ${tag}.`,
      );
    } catch (err) {
      setError(errorText(err, `Publishing ${version} to ${tag} failed.`));
    }
  }

  return (
    <>
      {back}
      <div className="page-head">
        <div>
          <PageHeading>{d.title || d.name}</PageHeading>
          <p className="meta">
            <code className="dashboard-name">{d.name}</code> <SourceBadge source={d.source} />
            {d.draftUpdatedAt && (
              <span className="draft">
                Draft saved <RelativeTime at={d.draftUpdatedAt} />
              </span>
            )}
          </p>
        </div>
        <div className="page-actions">
          <Link href={editorPath(d)} className="button secondary">
            {editor && fromBuilder ? 'Edit' : 'Preview'}
          </Link>
          {editor && fromBuilder && (
            <button type="button" className="button primary" onClick={() => setDialog('save')}>
              Save version
            </button>
          )}
          {editor && (
            <button type="button" className="button secondary" onClick={() => setDialog('duplicate')}>
              Duplicate
            </button>
          )}
        </div>
      </div>
      {!fromBuilder && (
        <p className="note read-only">
          From code: read-only here — change its <code>*.embeddable.yml</code> and push, or duplicate it.
        </p>
      )}
      <DevBanner problems={dev.problems} onDismiss={dev.dismiss} />
      <Alert message={error} />
      <Notice message={notice} />

      <section className="section" aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        {versions.length === 0 ? (
          <p className="note">
            No saved versions yet. {fromBuilder && editor ? 'Save the draft as v1 to publish it.' : ''}
          </p>
        ) : (
          <VersionsTable
            dashboardId={d.id}
            dashboardName={d.name}
            versions={versions}
            tags={d.tags}
            canPublish={editor && fromBuilder}
            onPublish={publish}
          />
        )}
      </section>

      {versions.length >= 2 && <ComparePanel id={d.id} versions={versions} />}
      <EmbedPanel name={d.name} production={d.tags.production} />

      {dialog === 'save' && (
        <SaveVersionDialog
          id={d.id}
          nextVersion={nextVersion(d.latestVersion)}
          onSaved={async (saved) => {
            setDialog(undefined);
            await refresh();
            setNotice(`Saved ${saved.version}.`);
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === 'duplicate' && (
        <NameDialog
          title={`Duplicate ${d.name}`}
          submitLabel="Duplicate"
          initialName={`${d.name}-copy`.slice(0, 100)}
          onSubmit={(name) => api.duplicate(d.id, name)}
          onDone={(copy) => navigate(dashboardPath(copy))}
          onClose={() => setDialog(undefined)}
        />
      )}
    </>
  );
}
