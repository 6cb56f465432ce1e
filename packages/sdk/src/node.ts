// Node-side imports of `@inlay/sdk/node`: the config helper and the engine's public types. The
// package root (`@inlay/sdk`) is the browser-safe author API (see src/author/).
export type {
  Annotation,
  Filter,
  LoadResponse,
  MemberFilter,
  Query,
  QueryInput,
  ResultValue,
  SecurityOptions,
  TimeDimension,
} from '@inlay/core';
export { InlayError, isInlayError } from '@inlay/core';
export type {
  CompiledQuery,
  CompileOptions,
  CubeDef,
  DimensionDef,
  MeasureDef,
  ModelFile,
  PlanSummary,
  RunOptions,
  SemanticModel,
  ViewDef,
} from '@inlay/engine';
export { type ConnectionConfig, defineConfig, type InlayConfig } from './config.js';
