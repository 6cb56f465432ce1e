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
export { type ParsedFile, parseModelFile } from './model-files/parse.js';
export { type ModelFile, readModelDir } from './model-files/read.js';
export { rollupBuildQuery, rollupPartitions, rollupRangeQuery } from './rollups/build.js';
export { compileFromRollup } from './rollups/compile-from-rollup.js';
export { rollupsOf } from './rollups/define.js';
export { everyMs } from './rollups/granularity.js';
export {
  originalSqlBuildQuery,
  originalSqlRollupBuildQuery,
  originalSqlRollupRangeQuery,
} from './rollups/original-sql.js';
export type {
  OriginalSqlLink,
  RollupColumn,
  RollupColumnRole,
  RollupDef,
  RollupLocator,
  RollupPartition,
} from './rollups/types.js';
export { executeCompiled, type RunOptions, runQuery } from './run/run.js';
export { shapeRows } from './run/shape.js';
export { ModelErrors } from './validate/errors.js';
export { securityGaps } from './validate/security-gaps.js';
