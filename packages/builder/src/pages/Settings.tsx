/// <reference lib="dom" />
import type { Session } from '../api.js';
import { Link } from '../components/Link.js';
import { PageHeading } from '../components/PageHeading.js';
import { useDocumentTitle } from '../hooks.js';
import { SETTINGS_SECTIONS, type SettingsSection, settingsPath } from '../router.js';
import { ApiKeysSection } from '../settings/ApiKeys.js';
import { ConnectionsSection } from '../settings/Connections.js';
import { EnvironmentsSection } from '../settings/Environments.js';
import { UsersSection } from '../settings/Users.js';

/**
 * `/settings/<section>`: the admin's pages — connections, environments, API keys, users — under
 * one menu. Anyone else is told that only admins manage these (the API answers them 403 too).
 */
export default function SettingsPage({
  section,
  session,
}: {
  section: SettingsSection | 'unknown';
  session: Session;
}) {
  const current = SETTINGS_SECTIONS.find((s) => s.id === section);
  const admin = session.user.role === 'admin';
  useDocumentTitle(current ? `${current.label} – Settings` : 'Settings');

  if (!admin) {
    return (
      <>
        <PageHeading>Settings</PageHeading>
        <p className="note warning" role="status">
          Only admins can see and change settings (connections, environments, API keys and users). You are
          signed in as {session.user.role === 'editor' ? 'an editor' : 'a viewer'}: ask an admin of this
          workspace if you need a change. <Link href="/">Back to the dashboards</Link>.
        </p>
      </>
    );
  }

  return (
    <div className="settings">
      <nav aria-label="Settings" className="settings-nav">
        <ul>
          {SETTINGS_SECTIONS.map((s) => (
            <li key={s.id}>
              <Link href={settingsPath(s.id)} aria-current={s.id === section ? 'page' : undefined}>
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings-body">
        <PageHeading key={section} id="settings-heading">
          {current ? current.label : 'No such settings page'}
        </PageHeading>
        {section === 'connections' && <ConnectionsSection />}
        {section === 'environments' && <EnvironmentsSection />}
        {section === 'api-keys' && <ApiKeysSection />}
        {section === 'users' && <UsersSection self={session.user.id} />}
        {section === 'unknown' && (
          <p className="note">
            Pick one of the settings from the menu, or go to{' '}
            <Link href={settingsPath('connections')}>Connections</Link>.
          </p>
        )}
      </div>
    </div>
  );
}
