/** Set by the `inlay` command when it runs its compiled bundle, where nothing compiles TypeScript. */
const TS_HOOK = Symbol.for('inlay.importTypeScript');

type ImportHook = (url: string) => Promise<unknown>;

/**
 * Imports a project's module by URL (its setup, a `*.cube.js` model, the components registry). A
 * `.ts`/`.tsx` one goes through the hook the compiled CLI sets, which loads tsx only then; under
 * tsx or vitest (no hook) it is a plain `import()`.
 */
export async function importModule<T = unknown>(url: string): Promise<T> {
  const hook = (globalThis as Record<symbol, ImportHook | undefined>)[TS_HOOK];
  if (hook && /\.[cm]?tsx?(?:$|[?#])/.test(url)) return (await hook(url)) as T;
  return (await import(url)) as T;
}
