import type { DatasetRef, LoadDataRequest } from '@inlay/core/dashboard-types';

export const DEFAULT_LIMIT = 100;

/** What a component passes to `loadData`: a `LoadDataRequest` without its marker. */
export type LoadDataParams = Omit<LoadDataRequest, '__inlayLoadData'>;

function fail(message: string): never {
  throw new TypeError(`loadData: ${message}`);
}

function checkCount(name: string, value: unknown, min: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    fail(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
}

function isDatasetRef(value: unknown): value is DatasetRef {
  return typeof value === 'object' && value !== null && typeof (value as DatasetRef).model === 'string';
}

/**
 * Describes a query for the runtime to run (components never fetch). Returned from
 * `config.props`, the prop arrives in the component as a `DataResponse`. Checks the shape lightly
 * so a mistake shows at the author's call, not as a server error later.
 */
export function loadData(params: LoadDataParams): LoadDataRequest {
  if (typeof params !== 'object' || params === null) fail('expects an object');
  if (!isDatasetRef(params.from))
    fail('`from` must be a dataset input (a DatasetRef with a `model`), e.g. `from: inputs.ds`');
  const lists = ['select', 'dimensions', 'measures', 'timeDimensions'] as const;
  for (const key of lists)
    if (params[key] !== undefined && !Array.isArray(params[key])) fail(`\`${key}\` must be an array`);
  if (!lists.some((key) => (params[key]?.length ?? 0) > 0))
    fail('asks for nothing: give `select`, `dimensions`, `measures` or `timeDimensions`');
  checkCount('limit', params.limit, 1);
  checkCount('offset', params.offset, 0);
  if (params.orderBy !== undefined) {
    if (!Array.isArray(params.orderBy)) fail('`orderBy` must be an array');
    for (const o of params.orderBy)
      if (o.direction !== 'asc' && o.direction !== 'desc')
        fail(`orderBy direction must be 'asc' or 'desc', got ${JSON.stringify(o.direction)}`);
  }
  return { ...params, limit: params.limit ?? DEFAULT_LIMIT, __inlayLoadData: true };
}

/** True for a `loadData(...)` result (the runtime replaces such props with a `DataResponse`). */
export function isLoadDataRequest(value: unknown): value is LoadDataRequest {
  return typeof value === 'object' && value !== null && (value as LoadDataRequest).__inlayLoadData === true;
}
