/**
 * The connection types `createDriver` knows, in one place: callers (the CLI's `--dialect` and
 * `--connection`, config checks) derive their lists from here instead of keeping their own.
 * Each driver's SQL dialect has the same name as its type.
 */
export const DRIVER_TYPES = ['duckdb', 'postgres', 'questdb', 'mysql'] as const;

export type DriverType = (typeof DRIVER_TYPES)[number];

/** Other spellings of a type that connections use (Cube and Embeddable write both). */
const TYPE_ALIASES: Readonly<Record<string, DriverType>> = { postgresql: 'postgres', mariadb: 'mysql' };

/** URL schemes that name a server's type: QuestDB speaks the PostgreSQL wire protocol. */
const URL_SCHEMES: Readonly<Record<string, DriverType>> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'questdb:': 'questdb',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

/** The canonical type for a connection's `type` (`postgresql` → `postgres`), or undefined. */
export function driverType(type: string): DriverType | undefined {
  if ((DRIVER_TYPES as readonly string[]).includes(type)) return type as DriverType;
  return Object.hasOwn(TYPE_ALIASES, type) ? TYPE_ALIASES[type] : undefined;
}

/** The type a connection URL names by its scheme (`questdb://…` → `questdb`), or undefined. */
export function driverTypeOfUrl(url: string): DriverType | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(url.trim())?.[1]?.toLowerCase();
  return scheme && Object.hasOwn(URL_SCHEMES, scheme) ? URL_SCHEMES[scheme] : undefined;
}

/** The URL forms `driverTypeOfUrl` recognises, for messages: `postgres://…, questdb://…`. */
export function connectionUrlForms(): string {
  return Object.keys(URL_SCHEMES)
    .filter((s) => s !== 'postgresql:')
    .map((s) => `${s}//…`)
    .join(', ');
}
