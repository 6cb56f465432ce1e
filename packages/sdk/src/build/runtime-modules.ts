import { RUNTIME_PROVIDED_MODULES } from '@inlay/core';
import type { Plugin } from 'esbuild';

/**
 * The modules a component bundle takes from the runtime (`RUNTIME_PROVIDED_MODULES`, the
 * contract in `@inlay/core/components`), and the names each one exports.
 *
 * ES modules link named imports before any code runs, so a virtual module must list its exports
 * statically. The lists are React's public API as far as the runtime's `preact/compat` provides
 * it: a component importing a name that is missing (`useOptimistic`, say) fails at build time,
 * naming the import, instead of receiving `undefined` in a customer's browser. The embed runtime's
 * module objects are checked against these lists by a test (`test/build/runtime-modules.test.ts`).
 */
const REACT = [
  'Children',
  'Component',
  'Fragment',
  'PureComponent',
  'StrictMode',
  'Suspense',
  'cloneElement',
  'createContext',
  'createElement',
  'createRef',
  'forwardRef',
  'isValidElement',
  'lazy',
  'memo',
  'startTransition',
  'use',
  'useCallback',
  'useContext',
  'useDebugValue',
  'useDeferredValue',
  'useEffect',
  'useId',
  'useImperativeHandle',
  'useInsertionEffect',
  'useLayoutEffect',
  'useMemo',
  'useReducer',
  'useRef',
  'useState',
  'useSyncExternalStore',
  'useTransition',
  'version',
] as const;
const REACT_DOM = ['createPortal', 'flushSync', 'unstable_batchedUpdates', 'version'] as const;
const JSX = ['Fragment', 'jsx', 'jsxs'] as const;

type Specifier = (typeof RUNTIME_PROVIDED_MODULES)[number];

/** Named exports per runtime-provided module; `default` too where the real package has one. */
export const RUNTIME_MODULE_EXPORTS: Record<Specifier, { names: readonly string[]; default: boolean }> = {
  react: { names: REACT, default: true },
  'react-dom': { names: REACT_DOM, default: true },
  'react-dom/client': { names: ['createRoot', 'hydrateRoot'], default: true },
  'react/jsx-runtime': { names: JSX, default: false },
  'react/jsx-dev-runtime': { names: [...JSX, 'jsxDEV'], default: false },
  // The author API of `@inlay/react`; `<InlayDashboard>` is for host apps, not components.
  '@inlay/react': {
    names: [
      'InlayContext',
      'defineComponent',
      'useClientContext',
      'useElementId',
      'useEmbeddableState',
      'useTheme',
    ],
    default: false,
  },
};

const SPECIFIERS = new Set<string>(RUNTIME_PROVIDED_MODULES);
const FILTER = new RegExp(
  `^(?:${RUNTIME_PROVIDED_MODULES.map((s) => s.replace(/[/.]/g, '\\$&')).join('|')})$`,
);

/** A module that re-exports what the runtime put in `globalThis.__inlay.modules[specifier]`. */
function browserModule(specifier: Specifier): string {
  const { names, default: hasDefault } = RUNTIME_MODULE_EXPORTS[specifier];
  const key = JSON.stringify(specifier);
  return [
    `const m = globalThis.__inlay?.modules?.[${key}];`,
    // Imported outside the runtime (a page importing the file directly): say so, not "undefined".
    `if (!m) throw new Error(${JSON.stringify(`${specifier} is provided by the Inlay runtime: load this component through <inlay-dashboard>`)});`,
    // Each read marked pure, so esbuild drops the names a bundle does not use.
    'const get = (name) => m[name];',
    ...names.map((n) => `export const ${n} = /* @__PURE__ */ get(${JSON.stringify(n)});`),
    hasDefault ? 'export default /* @__PURE__ */ get("default") ?? m;' : '',
  ].join('\n');
}

/**
 * For `inlay build` to read each component's meta in Node: React does nothing, and
 * `defineComponent` returns its arguments, so evaluating a component module costs no rendering
 * and needs no DOM.
 */
function nodeStub(specifier: Specifier): string {
  const { names, default: hasDefault } = RUNTIME_MODULE_EXPORTS[specifier];
  const lines = ['const noop = () => undefined;'];
  for (const name of names) {
    if (name === 'defineComponent') {
      lines.push(
        'export function defineComponent(Component, meta, config = {}) { return { Component, meta, config }; }',
      );
    } else if (name === 'InlayContext' || name === 'Fragment' || name === 'version') {
      lines.push(`export const ${name} = {};`);
    } else {
      lines.push(`export const ${name} = noop;`);
    }
  }
  if (hasDefault) lines.push(`export default { ${names.join(', ')} };`);
  return lines.join('\n');
}

/** Resolves the runtime-provided specifiers to the browser modules or the Node stubs. */
export function runtimeModulesPlugin(target: 'browser' | 'node'): Plugin {
  const namespace = `inlay-runtime-${target}`;
  return {
    name: namespace,
    setup(build) {
      build.onResolve({ filter: FILTER }, (args) =>
        SPECIFIERS.has(args.path) ? { path: args.path, namespace } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace }, (args) => ({
        contents:
          target === 'browser' ? browserModule(args.path as Specifier) : nodeStub(args.path as Specifier),
        loader: 'js',
      }));
    },
  };
}
