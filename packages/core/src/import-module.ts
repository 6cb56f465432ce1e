/** Set by the `inlay` command when it runs its compiled bundle, where nothing compiles TypeScript. */
const TS_HOOK = Symbol.for('inlay.importTypeScript');

type ImportHook = (url: string, options?: ImportModuleOptions) => Promise<unknown>;

export interface ImportModuleOptions {
  /**
   * The module runs on Node only and needs no JSX or module-level identity shared with other
   * project modules (a setup, a `*.cube.ts` model): the compiled CLI may bundle it into a cache.
   */
  nodeOnly?: boolean;
}

/**
 * Imports a project's module by URL (its setup, a `*.cube.js` model, the components registry). A
 * `.ts`/`.tsx` one goes through the hook the compiled CLI sets, which loads tsx only then; under
 * tsx or vitest (no hook) it is a plain `import()`.
 */
export async function importModule<T = unknown>(url: string, options?: ImportModuleOptions): Promise<T> {
  const hook = (globalThis as Record<symbol, ImportHook | undefined>)[TS_HOOK];
  if (hook && /\.[cm]?tsx?(?:$|[?#])/.test(url)) return (await hook(url, options)) as T;
  return (await import(url)) as T;
}
