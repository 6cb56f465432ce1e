/// <reference lib="dom" />
// `@inlay/react`: React bindings. For component authors: `defineComponent` and the hooks; for
// host apps: `<InlayDashboard>`. React (or preact/compat under the same name) is a peer.
export { InlayContext, type InlayRuntimeProp } from './context.js';
export {
  type ComponentConfig,
  defineComponent,
  type EventsConfig,
  type PropsFromConfig,
  type TypedComponentDefinition,
} from './define-component.js';
export { useClientContext, useElementId, useEmbeddableState, useTheme } from './hooks.js';
export {
  type EmbeddableErrorDetail,
  InlayDashboard,
  type InlayDashboardProps,
  loadInlayScript,
  type VariableChange,
} from './inlay-dashboard.js';
