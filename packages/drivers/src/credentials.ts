import { z } from 'zod';
import type { CredentialsField } from './plugin.js';

/**
 * Field helpers the databases' `credentialsSchema`s share, so the same field is checked and
 * described the same way everywhere (messages name the field and say what it expects).
 */

const text = z.string().min(1).max(1000);
const port = z.union([z.number().int().min(1).max(65_535), z.string().regex(/^\d{1,5}$/)]);

type Extra = Omit<CredentialsField, 'schema' | 'label' | 'expects' | 'required'>;

export function required(
  label: string,
  schema: z.ZodType,
  expects: string,
  extra: Extra = {},
): CredentialsField {
  return { label, schema, expects, required: true, ...extra };
}

export function optional(
  label: string,
  schema: z.ZodType,
  expects: string,
  extra: Extra = {},
): CredentialsField {
  return { label, schema, expects, required: false, ...extra };
}

/** A non-empty string of at most 1000 characters. */
export const textField = (label: string, expects: string, extra: Extra = {}, need = true) =>
  (need ? required : optional)(label, text, expects, extra);

export const HOST = required('Host', text, 'the server name or address, e.g. "127.0.0.1"', {
  placeholder: '127.0.0.1',
});

/** A port as a number or as the digits people paste ("5432"); `numericPort` makes it a number. */
export function portField(defaultPort: number, expects: string, need = false): CredentialsField {
  return (need ? required : optional)('Port', port, expects, {
    input: 'number',
    initial: String(defaultPort),
  });
}

export const USER = (example: string) => textField('User', `the login, e.g. "${example}"`);

/** A password: any string (an empty one is a login without a password), never shown again. */
export function passwordField(expects: string, need = false): CredentialsField {
  return (need ? required : optional)('Password', z.string().max(1000), expects, { secret: true });
}

export const SSL = optional(
  'Use TLS (SSL)',
  z.union([z.boolean(), z.record(z.string(), z.unknown())]),
  'true, false or TLS options such as {"rejectUnauthorized": false}',
  { input: 'checkbox' },
);

/** A connection URL with one of `schemes` (`['postgres:', 'postgresql:']`); never shown again. */
export function urlField(schemes: readonly string[], expects: string): CredentialsField {
  const names = schemes.map((s) => s.slice(0, -1).replace(/[.+]/g, '\\$&'));
  const pattern = new RegExp(`^(${names.join('|')})://.`, 'i');
  return required('URL', z.string().max(2000).regex(pattern), expects, { secret: true });
}

/** `port` as a number: the drivers want one, "5432" is what people paste. */
export function numericPort<C>(credentials: Record<string, unknown>): C {
  const out = { ...credentials };
  if (typeof out.port === 'string') out.port = Number(out.port);
  return out as C;
}
