import { createHash } from 'node:crypto';
import type { ComponentsManifest } from '@inlay/core';

/**
 * A hand-written stand-in for what `inlay build` writes into `.inlay-build/` (the real bundler is
 * `packages/sdk`'s): per component an ES module taking React and `@inlay/react` from the runtime
 * (`globalThis.__inlay.modules`, per the contract in `packages/core/src/components.ts`), one shared
 * chunk it imports by relative URL, and a CSS file. Hashes and sizes are real.
 */
export interface FakeComponent {
  name: string;
  /** What the component shows: changing it changes the file, its hash and the version. */
  text: string;
  label?: string;
  /** Replaces the meta (to push a broken one). */
  meta?: Record<string, unknown>;
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const short = (data: Buffer) => sha(data).slice(0, 8).toUpperCase();

export function componentModule(c: FakeComponent, chunk: string): string {
  return [
    `import { shared } from '../chunks/${chunk}';`,
    "const React = globalThis.__inlay.modules['react'];",
    "const { defineComponent } = globalThis.__inlay.modules['@inlay/react'];",
    `function ${c.name}() { return React.createElement('p', { className: 'custom' }, shared(${JSON.stringify(c.text)})); }`,
    `export default defineComponent(${c.name}, ${JSON.stringify(metaOf(c))});`,
    '',
  ].join('\n');
}

export function metaOf(c: FakeComponent): Record<string, unknown> {
  return (
    c.meta ?? {
      name: c.name,
      label: c.label ?? `${c.name} label`,
      description: `The ${c.name} component`,
      category: 'Custom',
      inputs: [{ name: 'title', type: 'string', label: 'Title' }],
      events: [{ name: 'onPick', label: 'Picked', properties: [{ name: 'value', type: 'string' }] }],
    }
  );
}

export interface FakeBuild {
  manifest: ComponentsManifest;
  /** Archive entries: `.inlay-build/manifest.json` and every file, by archive path. */
  entries: Record<string, Buffer>;
}

/** `.inlay-build/` for these components; `edit` may change the manifest before it is written. */
export function fakeBuild(components: FakeComponent[], edit?: (m: ComponentsManifest) => void): FakeBuild {
  const files: Record<string, Buffer> = {};
  const chunkBody = Buffer.from("export const shared = (text) => 'custom: ' + text;\n");
  const chunk = `chunk-${short(chunkBody)}.js`;
  files[`chunks/${chunk}`] = chunkBody;
  const css = Buffer.from('.custom { color: rgb(1, 2, 3); }\n');
  const cssPath = `chunks/style-${short(css)}.css`;
  files[cssPath] = css;
  const listed = components.map((c) => {
    const body = Buffer.from(componentModule(c, chunk));
    const file = `components/${c.name}-${short(body)}.js`;
    files[file] = body;
    return { name: c.name, meta: metaOf(c), file, imports: [`chunks/${chunk}`, cssPath] };
  });
  const manifest = {
    format: 1,
    react: 'compat',
    components: listed,
    files: Object.fromEntries(
      Object.entries(files).map(([path, body]) => [path, { sha256: sha(body), bytes: body.length }]),
    ),
  } as ComponentsManifest;
  edit?.(manifest);
  const entries: Record<string, Buffer> = {
    '.inlay-build/manifest.json': Buffer.from(JSON.stringify(manifest, null, 2)),
  };
  for (const [path, body] of Object.entries(files)) entries[`.inlay-build/${path}`] = body;
  return { manifest, entries };
}
