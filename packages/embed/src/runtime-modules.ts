import {
  defineComponent,
  InlayContext,
  useClientContext,
  useElementId,
  useEmbeddableState,
  useTheme,
} from '@inlay/react';
import * as compat from 'preact/compat';
import * as client from 'preact/compat/client';
import * as jsxRuntime from 'preact/jsx-runtime';

/**
 * What a project's components (built by `inlay build`) import instead of bundling:
 * `globalThis.__inlay.modules[specifier]` (`RUNTIME_PROVIDED_MODULES` in `@inlay/core`). The same
 * preact and `@inlay/react` the standard components use, so hooks, context and rendering are one
 * instance. Its own chunk, loaded with the first project component: `inlay.js` does not grow.
 */
export const runtimeModules: Record<string, unknown> = {
  react: compat,
  'react-dom': compat,
  'react-dom/client': client,
  'react/jsx-runtime': jsxRuntime,
  'react/jsx-dev-runtime': jsxRuntime,
  // Only the author API: `<InlayDashboard>` (for host apps) stays out of the chunk.
  '@inlay/react': {
    defineComponent,
    InlayContext,
    useClientContext,
    useElementId,
    useEmbeddableState,
    useTheme,
  },
};
