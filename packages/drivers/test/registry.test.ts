import { describe, expect, it } from 'vitest';
import {
  checkCredentials,
  connectionOfUrl,
  connectionUrlForms,
  createDriver,
  type DatabasePlugin,
  databasePlugin,
  databasePlugins,
  driverType,
  fileDatabase,
} from '../src/index.js';
import { failure } from './helpers.js';

const PLUGINS = databasePlugins();

/** Credentials with every required field filled in with a placeholder its schema accepts. */
function sample(p: DatabasePlugin<unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(p.credentialsSchema.fields)) {
    if (!f.required) continue;
    out[name] = f.input === 'number' ? 1 : f.input === 'checkbox' ? false : `${name}-value`;
  }
  return out;
}

describe('the database registry', () => {
  it('gives every type, alias and URL scheme to one database only', () => {
    const names = PLUGINS.flatMap((p) => [p.type, ...(p.aliases ?? [])]);
    expect(new Set(names).size, names.join(', ')).toBe(names.length);
    const schemes = PLUGINS.flatMap((p) => (p.urlSchemes ?? []).map((s) => s.toLowerCase()));
    expect(new Set(schemes).size, schemes.join(', ')).toBe(schemes.length);
    for (const p of PLUGINS) {
      expect(p.label, p.type).toBeTruthy();
      expect(p.type).toMatch(/^[a-z][a-z0-9_]*$/);
      for (const s of p.urlSchemes ?? []) expect(s, p.type).toMatch(/^[a-z][a-z0-9+.-]*:$/);
      for (const a of p.aliases ?? []) expect(driverType(a)).toBe(p.type);
      expect(driverType(p.type)).toBe(p.type);
      expect(databasePlugin(p.type)).toBe(p);
    }
  });

  it('builds, for each database, a driver that prints SQL in its plugin’s dialect', async () => {
    for (const p of PLUGINS) {
      const { type, credentials } = checkCredentials(p.type, sample(p));
      const d = createDriver(type, credentials, { readOnly: false });
      expect(d.dialect, p.type).toBe(p.dialect);
      await d.close();
    }
  });

  it('reads each URL scheme as its database, with the credentials its plugin makes', async () => {
    for (const p of PLUGINS) {
      for (const scheme of p.urlSchemes ?? []) {
        const found = connectionOfUrl(`${scheme}//reader@127.0.0.1:1/db`);
        expect(found?.type, scheme).toBe(p.type);
        const d = createDriver(p.type, found?.credentials);
        expect(d.dialect).toBe(p.dialect);
        await d.close();
      }
      if (p.urlSchemes?.length) expect(connectionUrlForms()).toContain(`${p.urlSchemes[0]}//…`);
    }
    expect(connectionOfUrl('gopher://h/x')).toBeUndefined();
  });

  it('checks credentials naming each missing field and what it expects, and unknown fields', () => {
    for (const p of PLUGINS) {
      const { fields, url } = p.credentialsSchema;
      for (const [name, f] of Object.entries(fields)) {
        if (!f.required) continue;
        const { [name]: _left, ...rest } = sample(p);
        const e = failure(() => checkCredentials(p.type, rest));
        expect(e.code).toBe('CONNECTION_INVALID');
        expect(e.message).toContain(`invalid ${p.type} credentials`);
        expect(e.message).toContain(`${name} is required (${f.expects})`);
        expect(e.where).toEqual({ path: `credentials.${name}` });
      }
      const extra = failure(() => checkCredentials(p.type, { ...sample(p), bogus: 1 }));
      expect(extra.message).toContain(`unknown field(s) bogus; allowed: ${Object.keys(fields).join(', ')}`);
      expect(extra.hint).toContain(Object.keys(fields)[0]!);
      if (url) {
        const bad = failure(() => checkCredentials(p.type, { url: 'gopher://h/x' }));
        expect(bad.message).toContain(`url is not valid (expected ${url.expects})`);
      }
    }
  });

  it('never puts a secret in a message', () => {
    for (const p of PLUGINS) {
      const secrets = Object.entries(p.credentialsSchema.fields).filter(([, f]) => f.secret);
      if (!secrets.length) continue;
      const given: Record<string, unknown> = { ...sample(p), bogus: true };
      for (const [name] of secrets) given[name] = 'hunter2-secret';
      const e = failure(() => checkCredentials(p.type, given));
      expect(`${e.message} ${e.hint}`).not.toContain('hunter2-secret');
    }
  });

  it('names every supported type with its label for an unknown one', () => {
    const e = failure(() => databasePlugin('mongodb'));
    expect(e.code).toBe('CONNECTION_INVALID');
    expect(e.where).toEqual({ path: 'type' });
    for (const p of PLUGINS) {
      expect(e.message).toContain(p.type);
      expect(e.hint).toContain(`${p.type} (${p.label}`);
    }
    expect(failure(() => createDriver('mongodb', {})).code).toBe('CONNECTION_INVALID');
  });

  it('finds the database a file path stands for through its file field', () => {
    const file = fileDatabase();
    if (!file) return;
    expect(file.plugin.credentialsSchema.fields[file.field]?.file).toBe(true);
  });
});
