import { type Driver, InlayError } from '@inlay/core';
import { duckdbPlugin } from './duckdb/index.js';
import { mysqlPlugin } from './mysql/index.js';
import type { DriverOptions } from './options.js';
import type { CredentialsField, DatabasePlugin } from './plugin.js';
import { postgresPlugin } from './postgres/index.js';
import { questdbPlugin } from './questdb/index.js';

/**
 * Every database Inlay can connect to, one line each (README.md, "Add a database"). The server's
 * connection types, the CLI's `--connection` and `--dialect`, credentials checks and the builder's
 * connection form are derived from this list; nothing else names a database.
 */
export const DATABASE_PLUGINS = [
  duckdbPlugin,
  postgresPlugin,
  questdbPlugin,
  mysqlPlugin,
] as const satisfies readonly DatabasePlugin<unknown>[];

type Plugin = (typeof DATABASE_PLUGINS)[number];
/** A connection type's own name (an alias resolved). */
export type DriverType = Plugin['type'];
/**
 * The types below need each plug-in's literal `type`: a plug-in annotated as
 * `DatabasePlugin<C>` (whose `type` is any string) fails to compile here.
 */
const _literalTypes: string extends DriverType
  ? 'declare each plug-in as `{ … } as const satisfies DatabasePlugin<Credentials>`'
  : true = true;
type PluginOf<T extends DriverType> = Extract<Plugin, { type: T }>;
/** The credentials a connection of type `T` takes, as its plugin declares them. */
export type CredentialsOf<T extends DriverType> = Parameters<PluginOf<T>['createDriver']>[0];
/** The other spellings of type `T` (`postgresql`). */
export type AliasOf<T extends DriverType> = PluginOf<T> extends { aliases: readonly (infer A)[] } ? A : never;
/** The driver class a connection of type `T` gets. */
export type DriverOf<T extends DriverType> = ReturnType<PluginOf<T>['createDriver']>;

const PLUGINS: readonly DatabasePlugin<unknown>[] = DATABASE_PLUGINS;

/** The connection types, in registry order. */
export const DRIVER_TYPES: readonly DriverType[] = DATABASE_PLUGINS.map((p) => p.type);

const BY_NAME = new Map(PLUGINS.flatMap((p) => [p.type, ...(p.aliases ?? [])].map((n) => [n, p] as const)));
const BY_SCHEME = new Map(
  PLUGINS.flatMap((p) => (p.urlSchemes ?? []).map((s) => [s.toLowerCase(), p] as const)),
);

/** The canonical type for a connection's `type` (an alias such as `postgresql` resolved), or undefined. */
export function driverType(type: string): DriverType | undefined {
  return BY_NAME.get(type)?.type as DriverType | undefined;
}

/** The type a connection URL names by its scheme (`questdb://…`), or undefined. */
export function driverTypeOfUrl(url: string): DriverType | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(url.trim())?.[1]?.toLowerCase();
  return scheme ? (BY_SCHEME.get(scheme)?.type as DriverType | undefined) : undefined;
}

/** The URL forms `driverTypeOfUrl` recognises, for messages: one per database (`postgres://…`). */
export function connectionUrlForms(): string {
  return PLUGINS.flatMap((p) => (p.urlSchemes?.length ? [`${p.urlSchemes[0]}//…`] : [])).join(', ');
}

/** `duckdb (DuckDB), postgres (PostgreSQL; also postgresql), …`: for hints. */
export function describeTypes(): string {
  return PLUGINS.map((p) => {
    const also = p.aliases?.length ? `; also ${p.aliases.join(', ')}` : '';
    return `${p.type} (${p.label}${also})`;
  }).join(', ');
}

/** The plugin for a connection's `type` or alias; an unknown type is CONNECTION_INVALID naming the known ones. */
export function databasePlugin(type: string): DatabasePlugin<unknown> {
  const found = BY_NAME.get(type);
  if (found) return found;
  throw new InlayError(
    'CONNECTION_INVALID',
    `unknown connection type '${type.slice(0, 50)}'; supported types: ${DRIVER_TYPES.join(', ')}`,
    { where: { path: 'type' }, hint: `Supported: ${describeTypes()}.` },
  );
}

/** Every plugin, for lists (the builder's connection types, docs). */
export function databasePlugins(): readonly DatabasePlugin<unknown>[] {
  return PLUGINS;
}

/** The database a file path stands for (`--connection data.duckdb`): the first plugin with a file field. */
export function fileDatabase(): { plugin: DatabasePlugin<unknown>; field: string } | undefined {
  for (const plugin of PLUGINS) {
    const field = fieldsWhere(plugin, (f) => f.file)[0];
    if (field) return { plugin, field };
  }
  return undefined;
}

/**
 * `{ "connection": { "type": "duckdb", "credentials": { "path": "…" } } }`: a config's connection
 * for the file database, for hints that show one.
 */
export function exampleConnection(): string {
  const file = fileDatabase();
  const credentials = file ? `{ "${file.field}": "…" }` : '{ … }';
  return `{ "connection": { "type": "${file?.plugin.type ?? '…'}", "credentials": ${credentials} } }`;
}

/** Names of the fields of `plugin` for which `pick` holds (its secrets, its file paths). */
export function fieldsWhere(
  plugin: DatabasePlugin<unknown>,
  pick: (f: CredentialsField) => boolean | undefined,
): string[] {
  const { fields, url } = plugin.credentialsSchema;
  const all = url ? { ...fields, url } : fields;
  return Object.entries(all)
    .filter(([, f]) => pick(f))
    .map(([k]) => k);
}

/** Type and credentials for a `--connection` URL, or undefined when no database claims its scheme. */
export function connectionOfUrl(url: string): { type: DriverType; credentials: unknown } | undefined {
  const type = driverTypeOfUrl(url);
  if (!type) return undefined;
  const plugin = databasePlugin(type);
  return { type, credentials: plugin.credentialsFromUrl ? plugin.credentialsFromUrl(url) : { url } };
}

/**
 * A driver for a connection's `type` (or alias) and `credentials`, the Embeddable connection
 * shape. Nothing connects until the first call; `test()` checks connectivity.
 */
export function createDriver<T extends DriverType>(
  type: T,
  credentials: CredentialsOf<T>,
  options?: DriverOptions,
): DriverOf<T>;
export function createDriver(type: string, credentials: unknown, options?: DriverOptions): Driver;
export function createDriver(type: string, credentials: unknown, options: DriverOptions = {}): Driver {
  return databasePlugin(type).createDriver(credentials, options);
}
