import { randomBytes } from 'node:crypto';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '@inlay/core';
import { SignJWT } from 'jose';
import { deriveTokenKey } from '../src/tokens/index.js';
import { AUTH, type TestApp, testApp } from './helpers.js';

/** A fixed server secret, so tests can forge tokens with the right key and a wrong claim. */
export const SECRET = randomBytes(32);

export function tokenApp(): TestApp {
  return testApp({ secretKey: SECRET });
}

export async function issue(t: Pick<TestApp, 'app'>, body: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/v1/security-token', headers: AUTH, payload: body });
}

/** A token from the route; fails the test when the route refuses. */
export async function tokenFor(t: Pick<TestApp, 'app'>, body: Record<string, unknown>): Promise<string> {
  const res = await issue(t, { embeddableId: 'flights-overview', user: 'u-1', ...body });
  if (res.statusCode !== 200) throw new Error(`security-token answered ${res.statusCode}: ${res.body}`);
  return res.json().token as string;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Claims as the server would sign them, for forging variants. */
export function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: 'u-1',
    aud: TOKEN_AUDIENCE,
    iss: TOKEN_ISSUER,
    iat: now,
    exp: now + 600,
    jti: 'forged-0001',
    workspaceId: 'default',
    embeddableId: 'flights-overview',
    savedVersion: 'production',
    environment: 'default',
    securityContext: { states: ['CA'] },
    roles: [],
    filters: [],
    ...overrides,
  };
}

/** Signs any payload with HS256 (or `alg`) under `secret` (the server's by default). */
export function forge(
  payload: Record<string, unknown>,
  opts: { secret?: Uint8Array; alg?: 'HS256' | 'HS384' | 'HS512' } = {},
): Promise<string> {
  const key = deriveTokenKey(opts.secret ?? SECRET);
  return new SignJWT(payload).setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'JWT' }).sign(key);
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** `alg: none`, no signature: what a naive verifier accepts. */
export function unsigned(payload: Record<string, unknown>): string {
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
}

/** The same token with its payload changed and the original signature kept. */
export function tamper(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.');
  const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  change(decoded);
  return `${header}.${b64(decoded)}.${signature}`;
}
