import { createHash } from 'node:crypto';
import type { ComponentsManifest } from '@inlay/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { componentsContentHash, type Store, StoreNotFoundError } from '../../src/store/index.js';
import { BACKENDS, countRows, newWorkspace, testPlace } from './helpers.js';

/** A manifest of one component whose module is `body`, plus a shared chunk. */
function build(name: string, body: string) {
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  const chunk = 'export const x = 1;\n';
  const manifest: ComponentsManifest = {
    format: 1,
    react: 'compat',
    components: [
      {
        name,
        meta: { name, label: name, inputs: [] },
        file: `components/${name}.js`,
        imports: ['chunks/c.js'],
      },
    ],
    files: {
      [`components/${name}.js`]: { sha256: sha(body), bytes: Buffer.byteLength(body) },
      'chunks/c.js': { sha256: sha(chunk), bytes: Buffer.byteLength(chunk) },
    },
  };
  return { manifest, bodies: { [sha(body)]: body, [sha(chunk)]: chunk } };
}

describe.each(BACKENDS)('components repository on %s', (backend) => {
  const place = testPlace(backend);
  let store: Store;
  beforeAll(async () => {
    store = await place.open();
  });
  afterAll(() => place.cleanup());

  it('stores a version once per manifest, files once per hash; finds it by hash in any workspace', async () => {
    const ws = await newWorkspace(store);
    const one = build('A', 'export default "one";\n');
    const first = await store.components.put(ws, one.manifest, one.bodies, 'first');
    expect(first).toMatchObject({ version: componentsContentHash(one.manifest), created: true });
    const again = await store.components.put(ws, one.manifest, one.bodies, 'ignored');
    expect(again).toMatchObject({ id: first.id, created: false, description: 'first' });
    // A second version sharing the chunk: one more module file, not two.
    const two = build('A', 'export default "two";\n');
    await store.components.put(ws, two.manifest, two.bodies);
    expect(await countRows(store, 'component_files', ws)).toBe(3);
    expect(await countRows(store, 'components_versions', ws)).toBe(2);

    const found = await store.components.findAnywhere(first.version);
    expect(found).toMatchObject({ workspaceId: ws, version: first.version, manifest: one.manifest });
    const sha = one.manifest.files['components/A.js']!.sha256;
    expect(await store.components.file(ws, sha)).toBe('export default "one";\n');
    expect(await store.components.file(await newWorkspace(store), sha)).toBeUndefined();
  });

  it('sets the current version only to one of the workspace', async () => {
    const ws = await newWorkspace(store);
    const other = await newWorkspace(store);
    const b = build('B', 'export default "b";\n');
    const put = await store.components.put(ws, b.manifest, b.bodies);
    expect(await store.components.current(ws)).toBeNull();
    await store.components.setCurrent(ws, put.version);
    expect(await store.components.current(ws)).toBe(put.version);
    await expect(store.components.setCurrent(other, put.version)).rejects.toBeInstanceOf(StoreNotFoundError);
    expect(await store.components.current(other)).toBeNull();
  });

  it('leaves nothing behind when the transaction it runs in fails', async () => {
    const ws = await newWorkspace(store);
    const c = build('C', 'export default "c";\n');
    await expect(
      store.transaction(async (tx) => {
        const put = await tx.components.put(ws, c.manifest, c.bodies);
        await tx.components.setCurrent(ws, put.version);
        throw new Error('a later step of the push failed');
      }),
    ).rejects.toThrow('a later step');
    expect(await countRows(store, 'component_files', ws)).toBe(0);
    expect(await countRows(store, 'components_versions', ws)).toBe(0);
    expect(await store.components.current(ws)).toBeNull();
  });

  it('a dashboard version pins a stored components version, and refuses an unknown one', async () => {
    const ws = await newWorkspace(store);
    const d = build('D', 'export default "d";\n');
    const put = await store.components.put(ws, d.manifest, d.bodies);
    const doc = { name: 'x', variables: [], datasets: [], widgets: [] };
    const saved = await store.dashboards.save(ws, 'x', doc, null, null, put.version);
    expect(saved.componentsVersion).toBe(put.version);
    expect((await store.dashboards.version(ws, 'x', 'latest')).componentsVersion).toBe(put.version);
    expect((await store.dashboards.versions(ws, 'x'))[0]!.componentsVersion).toBe(put.version);
    await expect(store.dashboards.save(ws, 'x', doc, null, null, 'f'.repeat(64))).rejects.toBeInstanceOf(
      StoreNotFoundError,
    );
    expect(await store.dashboards.versions(ws, 'x')).toHaveLength(1);
  });
});
