import { databasePlugin } from '@inlay/drivers';
import type { Credentials } from '../store/index.js';

/**
 * What a connection form may show again: the values of its type's fields that are not secret
 * (where the database is, who logs in), never a password. A connection saved as a URL is shown
 * as its parts (its password left out).
 */
export interface VisibleSettings {
  /** host, port, database, user, path, ssl… as the type names them. */
  [field: string]: string | number | boolean;
  /** Whether a password is saved (its value never leaves the server). */
  hasPassword: boolean;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function portOf(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,5}$/.test(v) ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function fromUrl(url: string): VisibleSettings {
  try {
    const u = new URL(url);
    const mode = u.searchParams.get('sslmode');
    const out: VisibleSettings = { hasPassword: u.password !== '' };
    if (u.hostname) out.host = u.hostname;
    const port = portOf(u.port);
    if (port) out.port = port;
    const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
    if (database) out.database = database;
    if (u.username) out.user = decodeURIComponent(u.username);
    if (mode) out.ssl = !['disable', 'allow', 'prefer'].includes(mode);
    return out;
  } catch {
    return { hasPassword: false };
  }
}

/** The saved credentials minus every secret, for the builder's edit form. */
export function visibleSettings(type: string, credentials: Credentials): VisibleSettings {
  if (typeof credentials.url === 'string') return fromUrl(credentials.url);
  const fields = Object.entries(databasePlugin(type).credentialsSchema.fields);
  const out: VisibleSettings = {
    hasPassword: fields.some(([k, f]) => f.secret && text(credentials[k]) !== undefined),
  };
  for (const [name, field] of fields) {
    const value = credentials[name];
    if (field.secret || value === undefined) continue;
    // A checkbox's saved value may be TLS options: shown as ticked.
    const shown =
      field.input === 'checkbox' ? value !== false : field.input === 'number' ? portOf(value) : text(value);
    if (shown !== undefined) out[name] = shown;
  }
  return out;
}

/** The saved password, whether it was given as a field or inside a URL. */
export function savedPassword(credentials: Credentials): string | undefined {
  if (typeof credentials.url === 'string') {
    try {
      const pw = new URL(credentials.url).password;
      return pw ? decodeURIComponent(pw) : undefined;
    } catch {
      return undefined;
    }
  }
  return text(credentials.password);
}

/**
 * `given` with the saved password filled in when it has none: the form leaves the password blank
 * to keep it, so the browser never holds it. A URL carries its own and is left as it is.
 */
export function keepingPassword(given: Record<string, unknown>, saved: Credentials): Record<string, unknown> {
  if ('url' in given || text(given.password) !== undefined) return given;
  const password = savedPassword(saved);
  const { password: _blank, ...rest } = given;
  return password === undefined ? rest : { ...rest, password };
}
