import type { Driver, LoadResponse, QueryInput, QueryOptions } from '@inlay/core';
import { type CompiledQuery, type CompileOptions, compileQuery } from '../compile.js';
import type { SemanticModel } from '../graph/types.js';
import { shapeRows } from './shape.js';

export type RunOptions = Omit<CompileOptions, 'dialect'> & QueryOptions;

/** Compiles for the driver's dialect, runs the SQL (and the total) and shapes the response. */
export async function runQuery(
  model: SemanticModel,
  driver: Driver,
  query: QueryInput | unknown,
  options: RunOptions = {},
): Promise<LoadResponse> {
  const compiled = compileQuery(model, query, { ...options, dialect: driver.dialect });
  return executeCompiled(driver, compiled, options);
}

/** Runs an already compiled query (and its total) and shapes the response. */
export async function executeCompiled(
  driver: Pick<Driver, 'query'>,
  compiled: CompiledQuery,
  options: QueryOptions = {},
): Promise<LoadResponse> {
  const queryOptions: QueryOptions = {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const [result, total] = await Promise.all([
    driver.query(compiled.sql, compiled.params, queryOptions),
    compiled.total ? driver.query(compiled.total.sql, compiled.total.params, queryOptions) : undefined,
  ]);
  const response: LoadResponse = {
    data: shapeRows(compiled.columns, result.rows),
    annotation: compiled.annotation,
  };
  if (total) response.total = Number(total.rows[0]?.total ?? 0);
  return response;
}
