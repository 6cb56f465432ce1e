export * from './dashboard-types.js';
export * from './driver.js';
export * from './errors.js';
export * from './model-schema.js';
export * from './query.js';
export * from './query-limits.js';
export * from './token.js';
