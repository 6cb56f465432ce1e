#!/usr/bin/env node
// The `inlay` command. Runs the compiled bundle (dist/inlay.mjs, built by `npm install`'s prepare
// or `npm run build`) while no source under packages/*/src is newer than it; otherwise the
// TypeScript sources directly through tsx, so `inlay dev` and tests on changed sources stay right.
import { readFileSync } from 'node:fs';
import { bundleIsCurrent } from '../scripts/sources.mjs';

const BUNDLE = new URL('../dist/inlay.mjs', import.meta.url);

if (bundleIsCurrent()) {
  // Nothing compiles TypeScript in the bundle until a project's own `.ts` module is imported:
  // `importModule` of @inlay/core asks this hook. Node-only modules (a setup, `*.cube.ts` models)
  // are bundled once by esbuild into a cache (scripts/compile-node-module.mjs). Others (the
  // components registry of `inlay build`, with JSX and React) go through tsx, registered then,
  // with `@inlay/*` resolving to the bundle's own modules (scripts/alias-hooks.mjs) rather than a
  // second copy compiled from the sources. tsx registers globally, not namespaced, so the bundle's
  // modules keep their URLs and load once.
  let aliases;
  const bundleAliases = () =>
    (aliases ??= JSON.parse(readFileSync(new URL('../dist/aliases.json', import.meta.url), 'utf8')));
  let registered;
  globalThis[Symbol.for('inlay.importTypeScript')] = async (url, options) => {
    if (options?.nodeOnly) {
      const { compiledNodeModule } = await import('../scripts/compile-node-module.mjs');
      const compiled = await compiledNodeModule(url, bundleAliases());
      if (compiled) return import(compiled);
    }
    registered ??= (async () => {
      const { register } = await import('node:module');
      register('../scripts/alias-hooks.mjs', import.meta.url, { data: bundleAliases() });
      (await import('tsx/esm/api')).register();
    })();
    await registered;
    return import(url);
  };
  await import(BUNDLE.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
