/// <reference lib="dom" />
// `@inlay/components`: the standard component library. Import `standardComponents` (lazy, one
// chunk each) for a runtime; import a component module directly (`@inlay/components/BarChart`) to
// render or wrap one.
export { standardComponents } from './registry.js';
