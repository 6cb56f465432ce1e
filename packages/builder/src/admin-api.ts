/**
 * The calls of the admin's Settings pages: connections, environments, API keys and users. Same
 * origin and session as every other call (see `api.ts`); the server refuses non-admins (403).
 */
import { call, type Role } from './api.js';

/** One credentials field of a connection type, as the server's registry describes it. */
export interface ConnectionField {
  name: string;
  label: string;
  /** What it takes, in words: shown as the field's help. */
  expects: string;
  required: boolean;
  /** A password: a password input, never filled in from the server. */
  secret: boolean;
  input: 'text' | 'number' | 'checkbox';
  /** A new connection's starting value (a default port). */
  initial?: string;
  placeholder?: string;
  /** What leaving it out means ("in memory"), for the list. */
  blank?: string;
}

/** A database a connection may be (`GET /api/v1/connection-types`), with the fields its form asks for. */
export interface ConnectionTypeInfo {
  type: string;
  label: string;
  aliases: string[];
  fields: ConnectionField[];
}

/** The saved values of a connection's fields that are not secret; the password never comes back. */
export interface ConnectionSettings {
  /** host, port, database, user, path, ssl… as its type names them. */
  [field: string]: string | number | boolean;
  hasPassword: boolean;
}

export interface Connection {
  name: string;
  type: string;
  createdAt: string;
  updatedAt: string;
  settings?: ConnectionSettings;
}

export interface TestResult {
  ok: true;
  canWrite: boolean;
  warning?: string;
  latencyMs?: number;
}

export interface Mapping {
  data_source: string;
  connection: string;
}

export interface Environment {
  name: string;
  datasources: Mapping[];
}

export interface ApiKey {
  id: string;
  name: string | null;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  /** The server's own INLAY_API_KEY: not revoked from here. */
  configured: boolean;
}

export interface WorkspaceUser {
  id: string;
  email: string;
  role: Role;
  displayName: string | null;
  createdAt: string;
  disabledAt: string | null;
}

export interface Invitation {
  email: string;
  role: Role;
  link: string;
  expiresAt: string;
}

const named = (base: string, name: string) => `${base}/${encodeURIComponent(name)}`;

export const adminApi = {
  /** The connection types the server knows, from its drivers' registry. */
  async connectionTypes(): Promise<ConnectionTypeInfo[]> {
    return (await call<{ connectionTypes: ConnectionTypeInfo[] }>('GET', '/connection-types'))
      .connectionTypes;
  },
  /** Every connection with its type and settings (one request per connection: the list has names only). */
  async connections(): Promise<Connection[]> {
    const { connections } = await call<{ connections: string[] }>('GET', '/connections');
    return Promise.all(connections.map((n) => call<Connection>('GET', named('/connections', n))));
  },
  createConnection(name: string, type: string, credentials: Record<string, unknown>): Promise<unknown> {
    return call('POST', '/connections', { name, type, credentials });
  },
  /** `keepPassword`: no password in `credentials` keeps the saved one. */
  updateConnection(name: string, type: string, credentials: Record<string, unknown>): Promise<Connection> {
    return call('PUT', named('/connections', name), { type, credentials, keepPassword: true });
  },
  deleteConnection(name: string): Promise<void> {
    return call('DELETE', named('/connections', name));
  },
  /** The form's values; `passwordFrom` fills a blank password with that saved connection's. */
  testConnection(
    type: string,
    credentials: Record<string, unknown>,
    passwordFrom?: string,
  ): Promise<TestResult> {
    return call('POST', '/connections/test', {
      type,
      credentials,
      ...(passwordFrom ? { passwordFrom } : {}),
    });
  },
  testSavedConnection(name: string): Promise<TestResult> {
    return call('POST', `${named('/connections', name)}/test`);
  },
  /** The implicit `default` first, then the stored ones. */
  async environments(): Promise<Environment[]> {
    const { environments } = await call<{ environments: string[] }>('GET', '/environments');
    return Promise.all(
      ['default', ...environments].map((n) => call<Environment>('GET', named('/environments', n))),
    );
  },
  createEnvironment(name: string, datasources: Mapping[]): Promise<unknown> {
    return call('POST', '/environments', { name, datasources });
  },
  updateEnvironment(name: string, datasources: Mapping[]): Promise<Environment> {
    return call('PUT', named('/environments', name), { datasources });
  },
  deleteEnvironment(name: string): Promise<void> {
    return call('DELETE', named('/environments', name));
  },
  async apiKeys(): Promise<ApiKey[]> {
    return (await call<{ apiKeys: ApiKey[] }>('GET', '/api-keys')).apiKeys;
  },
  /** The answer holds the key itself, this once. */
  createApiKey(name: string): Promise<ApiKey & { key: string }> {
    return call('POST', '/api-keys', { name });
  },
  revokeApiKey(id: string): Promise<void> {
    return call('DELETE', named('/api-keys', id));
  },
  async users(): Promise<WorkspaceUser[]> {
    return (await call<{ users: WorkspaceUser[] }>('GET', '/users')).users;
  },
  invite(email: string, role: Role): Promise<Invitation> {
    return call('POST', '/users/invitations', { email, role });
  },
  setRole(id: string, role: Role): Promise<WorkspaceUser> {
    return call('PUT', `${named('/users', id)}/role`, { role });
  },
  removeUser(id: string): Promise<WorkspaceUser> {
    return call('DELETE', named('/users', id));
  },
};
