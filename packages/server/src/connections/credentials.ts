import { InlayError } from '@inlay/core';
import { mysqlPlugin } from '@inlay/drivers';
import { z } from 'zod';
import type { Credentials } from '../store/index.js';

/** One credentials field: its schema and, in words, what it expects. */
interface Field {
  schema: z.ZodType;
  expects: string;
  required: boolean;
}

const text = z.string().min(1).max(1000);
const port = z.union([z.number().int().min(1).max(65_535), z.string().regex(/^\d{1,5}$/)]);
const secret = z.string().max(1000);
const ssl = z.union([z.boolean(), z.record(z.string(), z.unknown())]);

const required = (schema: z.ZodType, expects: string): Field => ({ schema, expects, required: true });
const optional = (schema: z.ZodType, expects: string): Field => ({ schema, expects, required: false });

const HOST = required(text, 'the server name or address, e.g. "127.0.0.1"');
const SSL = optional(ssl, 'true, false or TLS options such as {"rejectUnauthorized": false}');
const urlField = (example: string) =>
  required(
    z
      .string()
      .max(2000)
      .regex(/^postgres(ql)?:\/\/./),
    `a postgres:// URL such as ${example}`,
  );

/**
 * Credentials per connection type (Embeddable's names): the fields, or for the servers a `url`
 * alone. Checked when a connection is saved or tested, so a typo is a 400 naming the field now
 * rather than a failure at the first query.
 */
const FORMS = {
  duckdb: {
    fields: {
      path: optional(text, 'the path of a DuckDB file the server can read, e.g. "/data/flights.duckdb"'),
    },
  },
  postgres: {
    fields: {
      host: HOST,
      port: optional(port, 'a port number such as 5432, the default'),
      database: required(text, 'the database name, e.g. "analytics"'),
      user: required(text, 'the login, e.g. "postgres"'),
      password: optional(secret, "the login's password, a string"),
      ssl: SSL,
    },
    url: urlField('postgres://user:password@host:5432/database'),
  },
  questdb: {
    fields: {
      host: HOST,
      port: required(port, 'a port number such as 8812, the PostgreSQL wire port'),
      user: required(text, 'the login, e.g. "admin"'),
      password: required(secret, 'the login\'s password, e.g. "quest"'),
      database: optional(text, 'the database name, "qdb" by default'),
      ssl: SSL,
    },
    url: urlField('postgres://admin:quest@host:8812/qdb'),
  },
  mysql: mysqlPlugin.credentialsSchema,
} satisfies Record<string, { fields: Record<string, Field>; url?: Field }>;

export type ConnectionType = keyof typeof FORMS;
export const CONNECTION_TYPES = Object.keys(FORMS) as ConnectionType[];

function invalid(message: string, opts: { path?: string; hint?: string } = {}): InlayError {
  return new InlayError('CONNECTION_INVALID', message, {
    ...(opts.path ? { where: { path: opts.path } } : {}),
    ...(opts.hint ? { hint: opts.hint } : {}),
  });
}

/** `{"host", "port", "user", "password", "database"?, "ssl"?} or {"url"}`: the shapes a type takes. */
function shapes(type: ConnectionType): string {
  const form: { fields: Record<string, Field>; url?: Field } = FORMS[type];
  const names = Object.entries(form.fields).map(([k, f]) => `"${k}"${f.required ? '' : '?'}`);
  return `{${names.join(', ')}}${form.url ? ' or {"url"}' : ''}`;
}

/** What is wrong with one field, in words that name it and say what it expects. */
function fieldProblem(name: string, field: Field, value: unknown, issue: z.core.$ZodIssue): string {
  if (value === undefined) return `${name} is required (${field.expects})`;
  if (value === '') return `${name} must not be empty (${field.expects})`;
  if (issue.code === 'too_big') return `${name} is too long (at most ${String(issue.maximum)} characters)`;
  return `${name} is not valid (expected ${field.expects})`;
}

/** The type and credentials checked for shape; messages name fields, never their values. */
export function checkConnection(
  type: string,
  credentials: unknown,
): { type: ConnectionType; credentials: Credentials } {
  if (!Object.hasOwn(FORMS, type)) {
    throw invalid(
      `unknown connection type '${type.slice(0, 50)}'; supported types: ${CONNECTION_TYPES.join(', ')}`,
      { path: 'type' },
    );
  }
  const t = type as ConnectionType;
  const given = credentials ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw invalid(`invalid ${t} credentials: expected an object ${shapes(t)}`, { path: 'credentials' });
  }
  const form: { fields: Record<string, Field>; url?: Field } = FORMS[t];
  const values = given as Record<string, unknown>;
  // `url` picks the URL form; a field beside it is then named as not allowed.
  const fields: Record<string, Field> = form.url && 'url' in values ? { url: form.url } : form.fields;
  const schema = z.strictObject(
    Object.fromEntries(
      Object.entries(fields).map(([k, f]) => [k, f.required ? f.schema : f.schema.optional()]),
    ),
  );
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const problems: string[] = [];
    const paths = new Set<string>();
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const allowed = Object.keys(fields).join(', ');
        const note = 'url' in fields ? ' (with "url", nothing else)' : form.url ? ' (or "url" alone)' : '';
        const unknown = issue.keys.map((k) => k.slice(0, 50)).join(', ');
        problems.push(`unknown field(s) ${unknown}; allowed: ${allowed}${note}`);
        for (const k of issue.keys) paths.add(`credentials.${k.slice(0, 50)}`);
        continue;
      }
      const name = String(issue.path[0]);
      if (paths.has(`credentials.${name}`)) continue;
      paths.add(`credentials.${name}`);
      problems.push(fieldProblem(name, fields[name]!, values[name], issue));
    }
    throw invalid(`invalid ${t} credentials: ${problems.join('; ')}.`, {
      path: paths.size === 1 ? [...paths][0]! : 'credentials',
      hint: `Expected ${shapes(t)}.`,
    });
  }
  const out = { ...parsed.data } as Credentials;
  // The PostgreSQL driver wants a number; "5432" is what people paste.
  if (t === 'postgres' && typeof out.port === 'string') out.port = Number(out.port);
  return { type: t, credentials: out };
}
