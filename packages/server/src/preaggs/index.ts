/** L2 pre-aggregations: see README.md. */
export {
  type BuildTarget,
  dueReason,
  type PartitionOutcome,
  type PartitionStatus,
  RollupBuilder,
  type RollupBuildReport,
} from './builder.js';
export { createPreaggs, type Preaggs, type PreaggsOptions, preaggsScheduleFromEnv } from './create.js';
export { jsonLogger, type PreaggLogger, silentLogger } from './log.js';
export { RollupReader, type ServedRollup, tableName } from './reader.js';
export { type BuildWorkspace, Scheduler, type Target, type WorkspaceSource } from './scheduler.js';
export type { RollupSource, SourceLookup, SourceLookups } from './sources.js';
export type { RollupState, RollupStatus } from './status.js';
