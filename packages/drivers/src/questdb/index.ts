import {
  HOST,
  numericPort,
  passwordField,
  portField,
  SSL,
  textField,
  USER,
  urlField,
} from '../credentials.js';
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
      host: HOST,
      port: portField(DEFAULT_PORT, 'a port number such as 8812, the PostgreSQL wire port', true),
      user: USER('admin'),
      password: passwordField('the login\'s password, e.g. "quest"', true),
      database: textField('Database', 'the database name, "qdb" by default', { placeholder: 'qdb' }, false),
      ssl: SSL,
    },
    url: urlField(
      URL_SCHEMES,
      'a postgres:// or questdb:// URL such as postgres://admin:quest@host:8812/qdb',
    ),
  },
  normalizeCredentials: numericPort<QuestDBCredentials>,
  createDriver: (credentials: QuestDBCredentials, options) => new QuestDBDriver(credentials, options),
} as const satisfies DatabasePlugin<QuestDBCredentials>;
