import type { Query, SecurityOptions } from '@inlay/core';
import type { SemanticModel } from '@inlay/engine';
import { LRUCache } from 'lru-cache';

/** What a compiled form depends on besides the model: the query, the caller, the target. */
export interface CompileInput {
  query: Query;
  security: SecurityOptions;
  maxRows: number;
}

/**
 * Compiled queries (or rollup plans) by everything compiling reads: model version, target (a
 * dialect, or the rollups of one workspace and environment), row cap, query and security. A query
 * naming `now` in a date range is compiled every time; other relative ranges ("last 7 days")
 * resolve to whole seconds at the finest, so the current second is part of the key.
 */
export class CompiledQueries {
  private readonly memo = new LRUCache<string, { value: unknown }>({ max: 5_000 });

  constructor(readonly now: () => number = Date.now) {}

  get<T>(model: SemanticModel, target: string, input: CompileInput, compile: (now: Date) => T): T {
    const query = JSON.stringify(input.query);
    if (/\bnow\b/i.test(query)) return compile(new Date(this.now()));
    const second = Math.floor(this.now() / 1000);
    const key = JSON.stringify([model.version, target, input.maxRows, second, input.security]) + query;
    const known = this.memo.get(key);
    if (known) return known.value as T;
    const value = compile(new Date(second * 1000));
    this.memo.set(key, { value });
    return value;
  }
}
