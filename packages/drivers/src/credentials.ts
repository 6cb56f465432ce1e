import { z } from 'zod';
import type { CredentialsField } from './plugin.js';

/**
 * Field helpers the databases' `credentialsSchema`s share, so the same field is checked and
 * described the same way everywhere (messages name the field and say what it expects).
 */

/**
 * A database server's credentials in Embeddable's names (`host`, `port`, `database`, `user`,
 * `password`, `ssl`), or a URL of one of its schemes.
 */
export type ServerCredentials =
  | {
      host: string;
      port?: number;
      database: string;
      user: string;
      password?: string;
      /** `true` for TLS with certificate checks, or an object of node `tls.connect` options. */
      ssl?: boolean | Record<string, unknown>;
    }
  | { url: string };

const text = z.string().min(1).max(1000);
const port = z.union([z.number().int().min(1).max(65_535), z.string().regex(/^\d{1,5}$/)]);

/** Everything about a field but its schema, label and words; `required` defaults per helper. */
export type FieldOptions = Partial<Omit<CredentialsField, 'schema' | 'label' | 'expects'>>;

/** A field; required unless `options.required` is false. */
export function field(
  label: string,
  schema: z.ZodType,
  expects: string,
  options: FieldOptions = {},
): CredentialsField {
  return { label, schema, expects, required: true, ...options };
}

/** A non-empty string of at most 1000 characters; required unless `required: false`. */
export const textField = (label: string, expects: string, options: FieldOptions = {}) =>
  field(label, text, expects, options);

export const HOST = textField('Host', 'the server name or address, e.g. "127.0.0.1"', {
  placeholder: '127.0.0.1',
});

/**
 * A port as a number or as the digits people paste ("5432"), optional unless `required: true`;
 * `numericPort` makes it a number.
 */
export const portField = (defaultPort: number, expects: string, options: FieldOptions = {}) =>
  field('Port', port, expects, {
    required: false,
    input: 'number',
    initial: String(defaultPort),
    ...options,
  });

export const USER = (example: string) => textField('User', `the login, e.g. "${example}"`);

/** A password, optional unless `required: true`: any string, never shown again. */
export const passwordField = (expects: string, options: FieldOptions = {}) =>
  field('Password', z.string().max(1000), expects, { required: false, secret: true, ...options });

export const SSL = field(
  'Use TLS (SSL)',
  z.union([z.boolean(), z.record(z.string(), z.unknown())]),
  'true, false or TLS options such as {"rejectUnauthorized": false}',
  { required: false, input: 'checkbox' },
);

/** A connection URL with one of `schemes` (`['postgres:', 'postgresql:']`); never shown again. */
export function urlField(schemes: readonly string[], expects: string): CredentialsField {
  const names = schemes.map((s) => s.slice(0, -1).replace(/[.+]/g, '\\$&'));
  const pattern = new RegExp(`^(${names.join('|')})://.`, 'i');
  return field('URL', z.string().max(2000).regex(pattern), expects, { secret: true });
}

/** `port` as a number: the drivers want one, "5432" is what people paste. */
export function numericPort<C>(credentials: Record<string, unknown>): C {
  const out = { ...credentials };
  if (typeof out.port === 'string') out.port = Number(out.port);
  return out as C;
}
