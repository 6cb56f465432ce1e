import type { Driver } from '@inlay/core';
import type { z } from 'zod';
import type { DriverOptions } from './options.js';

/** One credentials field: its schema and, in words, what it expects (used in error messages and docs). */
export interface CredentialsField {
  readonly schema: z.ZodType;
  /** What the field takes, e.g. `a port number such as 5432, the default`. */
  readonly expects: string;
  readonly required: boolean;
  /** Never returned by the API or logged (passwords). */
  readonly secret?: boolean;
}

/**
 * The credentials a connection of this type takes (Embeddable's names): the fields, or for
 * servers that accept one a `url` alone.
 */
export interface CredentialsSchema {
  readonly fields: Readonly<Record<string, CredentialsField>>;
  readonly url?: CredentialsField;
}

/**
 * A database, whole: everything Inlay needs to know about one connection `type` lives in
 * `packages/drivers/src/<type>/` and is exported as one of these; `registry.ts` lists them.
 * The server's connection types, the CLI's `--connection`, validation messages and the docs are
 * derived from the registry, so adding a database touches its folder here, its dialect folder in
 * the engine (`packages/engine/src/dialects/<dialect>/`) and one line in each registry.
 */
export interface DatabasePlugin<C = Record<string, unknown>> {
  /** The connection `type` (`"postgres"`), as Embeddable's connection API writes it. */
  readonly type: string;
  /** The name people know it by, for messages and forms (`"PostgreSQL"`). */
  readonly label: string;
  /** Other spellings accepted for `type` (`"postgresql"`). */
  readonly aliases?: readonly string[];
  /** URL schemes that name this database in `--connection` (`"postgres:"`), with the trailing colon. */
  readonly urlSchemes?: readonly string[];
  /** The engine's SQL dialect for this database; drivers never import the engine, so by name. */
  readonly dialect: string;
  readonly credentialsSchema: CredentialsSchema;
  /** Credentials checked against `credentialsSchema`, with strings such as ports normalised. */
  normalizeCredentials?(credentials: Record<string, unknown>): C;
  /** Credentials for a `--connection` URL whose scheme is one of `urlSchemes`. */
  credentialsFromUrl?(url: string): C;
  /** Nothing connects until the first call; `test()` checks connectivity. */
  createDriver(credentials: C, options: DriverOptions): Driver;
}
