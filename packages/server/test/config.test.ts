import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashApiKey, loadConfig, parseSecretKey } from '../src/index.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'inlay-config-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const STRONG = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 3)).toString('hex');

describe('config', () => {
  it('takes the first admin from INLAY_ADMIN_EMAIL and INLAY_ADMIN_PASSWORD, both or neither, and refuses a weak one', () => {
    const dir = tempDir();
    expect(loadConfig({ INLAY_DATA_DIR: dir }).firstAdmin).toBeUndefined();
    const ok = loadConfig({
      INLAY_DATA_DIR: dir,
      INLAY_ADMIN_EMAIL: 'boss@example.com',
      INLAY_ADMIN_PASSWORD: 'a long enough password',
    });
    expect(ok.firstAdmin).toEqual({ email: 'boss@example.com', password: 'a long enough password' });
    expect(() => loadConfig({ INLAY_DATA_DIR: dir, INLAY_ADMIN_EMAIL: 'boss@example.com' })).toThrow(
      /INLAY_ADMIN_EMAIL and INLAY_ADMIN_PASSWORD go together/,
    );
    expect(() =>
      loadConfig({
        INLAY_DATA_DIR: dir,
        INLAY_ADMIN_EMAIL: 'boss@example.com',
        INLAY_ADMIN_PASSWORD: 'short',
      }),
    ).toThrow(/INLAY_ADMIN_PASSWORD: a password must have 12 to 256 characters/);
    expect(() =>
      loadConfig({
        INLAY_DATA_DIR: dir,
        INLAY_ADMIN_EMAIL: 'not an email',
        INLAY_ADMIN_PASSWORD: 'a long enough password',
      }),
    ).toThrow(/INLAY_ADMIN_EMAIL: 'not an email' is not an email address/);
  });

  it('has the documented defaults', () => {
    const dir = tempDir();
    const c = loadConfig({ INLAY_DATA_DIR: dir });
    expect(c).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      dataDir: dir,
      production: false,
      maxBodyBytes: 1024 * 1024,
      queryTimeoutMs: 30_000,
      maxRows: 50_000,
    });
  });

  it('in dev generates the secret key once, into a 0600 file', () => {
    const dir = tempDir();
    const a = loadConfig({ INLAY_DATA_DIR: dir });
    const b = loadConfig({ INLAY_DATA_DIR: dir });
    expect(a.secretKey).toHaveLength(32);
    expect(b.secretKey.equals(a.secretKey)).toBe(true);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('generates the API key once, keeps only its sha256, and shows it only on the first start', () => {
    const dir = tempDir();
    const first = loadConfig({ INLAY_DATA_DIR: dir });
    expect(first.generatedApiKey).toMatch(/^inlay_[A-Za-z0-9_-]{43}$/);
    const stored = readFileSync(join(dir, 'api-key.sha256'), 'utf8').trim();
    expect(stored).toBe(hashApiKey(first.generatedApiKey!).toString('hex'));
    expect(stored).not.toContain(first.generatedApiKey!);
    const second = loadConfig({ INLAY_DATA_DIR: dir });
    expect(second.generatedApiKey).toBeUndefined();
    expect(second.apiKeyHash.equals(first.apiKeyHash)).toBe(true);
  });

  it('takes INLAY_API_KEY and the numeric limits from the environment', () => {
    const dir = tempDir();
    const c = loadConfig({
      INLAY_DATA_DIR: dir,
      INLAY_API_KEY: 'my-key',
      INLAY_PORT: '4100',
      INLAY_MAX_ROWS: '10',
    });
    expect(c.apiKeyHash.equals(hashApiKey('my-key'))).toBe(true);
    expect(c.generatedApiKey).toBeUndefined();
    expect(existsSync(join(dir, 'api-key.sha256'))).toBe(false);
    expect(c.port).toBe(4100);
    expect(c.maxRows).toBe(10);
    expect(() => loadConfig({ INLAY_DATA_DIR: dir, INLAY_PORT: 'eighty' })).toThrow(/INLAY_PORT/);
  });

  it('in production refuses to start without a strong INLAY_SECRET_KEY, and writes nothing', () => {
    const dir = join(tempDir(), 'data');
    const prod = { NODE_ENV: 'production', INLAY_DATA_DIR: dir, INLAY_API_KEY: 'k'.repeat(40) };
    expect(() => loadConfig(prod)).toThrow(/INLAY_SECRET_KEY is required when NODE_ENV=production/);
    expect(() => loadConfig({ ...prod, INLAY_SECRET_KEY: 'a'.repeat(64) })).toThrow(/too weak/);
    expect(() => loadConfig({ ...prod, INLAY_SECRET_KEY: 'short' })).toThrow(/32 bytes/);
    expect(existsSync(dir)).toBe(false);
    const ok = loadConfig({ ...prod, INLAY_SECRET_KEY: STRONG });
    expect(ok.production).toBe(true);
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
  });

  it('accepts the secret key as hex or base64 of 32 bytes', () => {
    const bytes = Buffer.from(STRONG, 'hex');
    expect(parseSecretKey(STRONG).equals(bytes)).toBe(true);
    expect(parseSecretKey(bytes.toString('base64')).equals(bytes)).toBe(true);
    expect(() => parseSecretKey(Buffer.alloc(31, 9).toString('base64'))).toThrow(/32 bytes/);
  });

  it('serves /demo by default in dev, never by default in production; INLAY_DEMO says otherwise', () => {
    const dir = tempDir();
    expect(loadConfig({ INLAY_DATA_DIR: dir }).demoEnabled).toBe(true);
    expect(loadConfig({ INLAY_DATA_DIR: dir, INLAY_DEMO: 'off' }).demoEnabled).toBe(false);
    const prod = {
      NODE_ENV: 'production',
      INLAY_DATA_DIR: dir,
      INLAY_API_KEY: 'k'.repeat(40),
      INLAY_SECRET_KEY: STRONG,
    };
    expect(loadConfig(prod).demoEnabled).toBe(false);
    expect(loadConfig({ ...prod, INLAY_DEMO: 'on' }).demoEnabled).toBe(true);
    expect(() => loadConfig({ INLAY_DATA_DIR: dir, INLAY_DEMO: 'yes' })).toThrow(/INLAY_DEMO/);
  });
});
