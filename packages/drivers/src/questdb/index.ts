import * as cred from '../credentials.js';
import type { DatabasePlugin } from '../plugin.js';
import { DEFAULT_PORT, type QuestDBCredentials, URL_SCHEMES } from './config.js';
import { QuestDBDriver } from './driver.js';

export type { QuestDBCredentials } from './config.js';
export { QuestDBDriver } from './driver.js';

/** QuestDB over its PostgreSQL wire port; `questdb://` URLs name it, `postgres://` ones work too. */
export const questdbPlugin = {
  type: 'questdb',
  label: 'QuestDB',
  urlSchemes: ['questdb:'],
  dialect: 'questdb',
  credentialsSchema: {
    fields: {
      host: cred.HOST,
      port: cred.portField(DEFAULT_PORT, 'a port number such as 8812, the PostgreSQL wire port', {
        required: true,
      }),
      user: cred.USER('admin'),
      password: cred.passwordField('the login\'s password, e.g. "quest"', { required: true }),
      database: cred.textField('Database', 'the database name, "qdb" by default', {
        required: false,
        placeholder: 'qdb',
      }),
      ssl: cred.SSL,
    },
    url: cred.urlField(
      URL_SCHEMES,
      'a postgres:// or questdb:// URL such as postgres://admin:quest@host:8812/qdb',
    ),
  },
  normalizeCredentials: cred.numericPort<QuestDBCredentials>,
  createDriver: (credentials: QuestDBCredentials, options) => new QuestDBDriver(credentials, options),
} as const satisfies DatabasePlugin<QuestDBCredentials>;
