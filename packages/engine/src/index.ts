export {
  type CompiledQuery,
  type CompileOptions,
  compileQuery,
  DEFAULT_LIMIT,
  DEFAULT_MAX_LIMIT,
  type PlanSummary,
} from './compile.js';
export { type Dialect, getDialect } from './dialects/index.js';
export { compileModel, modelVersion } from './graph/compile-model.js';
export type { CubeDef, DimensionDef, MeasureDef, SemanticModel, ViewDef } from './graph/types.js';
export { type ModelFile, readModelDir } from './load/files.js';
export { type ParsedFile, parseModelFile } from './load/parse.js';
export { planFromRollup } from './preagg/answer.js';
export { rollupBuildQuery, rollupPartitions, rollupRangeQuery } from './preagg/build.js';
export { rollupsOf } from './preagg/define.js';
export { everyMs } from './preagg/granularity.js';
export {
  originalSqlBuildQuery,
  originalSqlRollupBuildQuery,
  originalSqlRollupRangeQuery,
} from './preagg/original-sql.js';
export type {
  OriginalSqlLink,
  RollupColumn,
  RollupColumnRole,
  RollupDef,
  RollupLocator,
  RollupPartition,
} from './preagg/types.js';
export { executeCompiled, type RunOptions, runQuery } from './run/run.js';
export { shapeRows } from './run/shape.js';
export { ModelErrors } from './validate/errors.js';
export { securityGaps } from './validate/security-gaps.js';
