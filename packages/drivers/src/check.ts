import { InlayError } from '@inlay/core';
import { z } from 'zod';
import type { CredentialsField, CredentialsSchema } from './plugin.js';
import { type DriverType, databasePlugin } from './registry.js';

function invalid(message: string, opts: { path?: string; hint?: string } = {}): InlayError {
  return new InlayError('CONNECTION_INVALID', message, {
    ...(opts.path ? { where: { path: opts.path } } : {}),
    ...(opts.hint ? { hint: opts.hint } : {}),
  });
}

/** `{"host", "port", "user", "password", "database"?, "ssl"?} or {"url"}`: the shapes a type takes. */
function shapes(form: CredentialsSchema): string {
  const names = Object.entries(form.fields).map(([k, f]) => `"${k}"${f.required ? '' : '?'}`);
  return `{${names.join(', ')}}${form.url ? ' or {"url"}' : ''}`;
}

/** What is wrong with one field, in words that name it and say what it expects. */
function fieldProblem(
  name: string,
  field: CredentialsField,
  value: unknown,
  issue: z.core.$ZodIssue,
): string {
  if (value === undefined) return `${name} is required (${field.expects})`;
  if (value === '') return `${name} must not be empty (${field.expects})`;
  if (issue.code === 'too_big') return `${name} is too long (at most ${String(issue.maximum)} characters)`;
  return `${name} is not valid (expected ${field.expects})`;
}

/** Every problem zod found, in words; `paths` collects where they are (`credentials.port`). */
function problemsOf(
  issues: readonly z.core.$ZodIssue[],
  fields: Readonly<Record<string, CredentialsField>>,
  form: CredentialsSchema,
  values: Record<string, unknown>,
  paths: Set<string>,
): string[] {
  const problems: string[] = [];
  for (const issue of issues) {
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
  return problems;
}

/**
 * A connection's type and credentials checked against its plugin's `credentialsSchema`, so a
 * typo is an error naming the field now rather than a failure at the first query. Messages name
 * fields and what they expect, never their values. The type comes back canonical (aliases
 * resolved), the credentials normalised by the plugin.
 */
export function checkCredentials(
  type: string,
  credentials: unknown,
): { type: DriverType; credentials: Record<string, unknown> } {
  const plugin = databasePlugin(type);
  const t = plugin.type as DriverType;
  const form = plugin.credentialsSchema;
  const given = credentials ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw invalid(`invalid ${t} credentials: expected an object ${shapes(form)}`, { path: 'credentials' });
  }
  const values = given as Record<string, unknown>;
  // `url` picks the URL form; a field beside it is then named as not allowed.
  const fields = form.url && 'url' in values ? { url: form.url } : form.fields;
  const schema = z.strictObject(
    Object.fromEntries(
      Object.entries(fields).map(([k, f]) => [k, f.required ? f.schema : f.schema.optional()]),
    ),
  );
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const paths = new Set<string>();
    const problems = problemsOf(parsed.error.issues, fields, form, values, paths);
    throw invalid(`invalid ${t} credentials: ${problems.join('; ')}.`, {
      path: paths.size === 1 ? [...paths][0]! : 'credentials',
      hint: `Expected ${shapes(form)}.`,
    });
  }
  const data = { ...parsed.data };
  const out = plugin.normalizeCredentials ? plugin.normalizeCredentials(data) : data;
  return { type: t, credentials: out as Record<string, unknown> };
}
