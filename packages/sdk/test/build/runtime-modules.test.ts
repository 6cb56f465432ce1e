import { RUNTIME_PROVIDED_MODULES } from '@inlay/core';
import { describe, expect, it } from 'vitest';
import { runtimeModules } from '../../../embed/src/runtime-modules.js';
import { RUNTIME_MODULE_EXPORTS } from '../../src/build/runtime-modules.js';

/**
 * The names `inlay build` lets a component import from each runtime-provided module must exist on
 * the module objects the embed runtime puts in `globalThis.__inlay.modules`: otherwise a
 * component would build and then receive `undefined` in the browser.
 */
describe('runtime-provided modules', () => {
  it('the runtime provides every module of the contract', () => {
    expect(Object.keys(runtimeModules).sort()).toEqual([...RUNTIME_PROVIDED_MODULES].sort());
  });

  it.each(RUNTIME_PROVIDED_MODULES)(
    '%s: every name the build exports is on the runtime’s module',
    (specifier) => {
      const provided = runtimeModules[specifier] as Record<string, unknown>;
      const { names, default: hasDefault } = RUNTIME_MODULE_EXPORTS[specifier];
      const missing = [...names, ...(hasDefault ? ['default'] : [])].filter((n) => provided[n] === undefined);
      expect(missing).toEqual([]);
    },
  );
});
