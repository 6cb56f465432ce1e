// What a developer imports from `@inlay/sdk`. Components, themes and `loadData` arrive with
// their issues; for now: the config helper and the engine's public types.
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
