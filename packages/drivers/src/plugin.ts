import type { Driver } from '@inlay/core';
import type { z } from 'zod';
import type { DriverOptions } from './options.js';

/**
 * One credentials field: its schema and, in words, what it expects (used in error messages, the
 * builder's connection form and docs).
 */
export interface CredentialsField {
  readonly schema: z.ZodType;
  /** The form's label, e.g. `Port`; the field's name with a capital when absent. */
  readonly label?: string;
  /** What the field takes, e.g. `a port number such as 5432, the default`. */
  readonly expects: string;
  readonly required: boolean;
  /** Never returned by the API or logged (passwords); a form shows a password input. */
  readonly secret?: boolean;
  /** How a form asks for it: a text box (the default), a number, or a checkbox that sends `true`. */
  readonly input?: 'text' | 'number' | 'checkbox';
  /** A form's starting value for a new connection, e.g. the default port `5432`. */
  readonly initial?: string;
  /** A form's example, e.g. `127.0.0.1`. */
  readonly placeholder?: string;
  /** What leaving this optional field out means, for lists: `in memory`. */
  readonly blank?: string;
  /**
   * A file on the machine that runs Inlay: in a project's config it is resolved against the project
   * folder, and the CLI's `--connection <file>` fills it.
   */
  readonly file?: boolean;
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
 * The server's connection types, the CLI's `--connection`, validation messages, the builder's
 * connection form and the docs are derived from the registry, so adding a database touches its
 * folder here, its dialect folder in the engine (`packages/engine/src/dialects/<dialect>/`) and
 * one line in each registry. `C` is the credentials type, `T` the type's name, `A` its aliases.
 */
export interface DatabasePlugin<
  C = Record<string, unknown>,
  T extends string = string,
  A extends string = string,
> {
  /** The connection `type`, as Embeddable's connection API writes it. */
  readonly type: T;
  /** The name people know it by, for messages and forms (`"PostgreSQL"`). */
  readonly label: string;
  /** Other spellings accepted for `type` (`"postgresql"`). */
  readonly aliases?: readonly A[];
  /** URL schemes that name this database in `--connection` (`"postgres:"`), with the trailing colon. */
  readonly urlSchemes?: readonly string[];
  /** The engine's SQL dialect for this database; drivers never import the engine, so by name. */
  readonly dialect: string;
  readonly credentialsSchema: CredentialsSchema;
  /** Credentials checked against `credentialsSchema`, with strings such as ports normalised. */
  normalizeCredentials?(credentials: Record<string, unknown>): C;
  /** Credentials for a `--connection` URL whose scheme is one of `urlSchemes`; `{ url }` when absent. */
  credentialsFromUrl?(url: string): C;
  /**
   * Whether the login could write, for a connection test, when asking the driver would get in
   * the way (DuckDB: opening a file for writing takes a lock). With this hook the test opens the
   * driver read-only; without it the driver's own `canWrite()` answers.
   */
  canWrite?(credentials: C): Promise<boolean>;
  /** Nothing connects until the first call; `test()` checks connectivity. */
  createDriver(credentials: C, options: DriverOptions): Driver;
}
