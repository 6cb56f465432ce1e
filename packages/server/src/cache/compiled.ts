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
 * dialect, or the rollups of one workspace and environment), row cap, query and security.
 *
 * The engine says whether a compiled form read the clock (`usesNow`). One that did not is kept
 * for good. One that did ("last 7 days") is kept for the current second: relative ranges resolve
 * to whole seconds at the finest, except `now` itself, which is the current millisecond and is
 * compiled every time.
 */
// Frozen objects (the shared, validated bodies of repeated requests) never change: their text is kept.
const texts = new WeakMap<object, string>();
function textOf(value: object): string {
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    if (Object.isFrozen(value)) texts.set(value, text);
  }
  return text;
}

export class CompiledQueries {
  private readonly memo = new LRUCache<string, { value: unknown }>({ max: 5_000 });

  constructor(readonly now: () => number = Date.now) {}

  get<T extends { usesNow: boolean }>(
    model: SemanticModel,
    target: string,
    input: CompileInput,
    compile: (now: Date) => T,
  ): T {
    const query = textOf(input.query);
    const key = `${JSON.stringify([model.version, target, input.maxRows])}${textOf(input.security)}${query}`;
    const timeless = this.memo.get(key);
    if (timeless) return timeless.value as T;
    const ms = this.now();
    const second = Math.floor(ms / 1000);
    const timedKey = `${second}\u0000${key}`;
    const timed = this.memo.get(timedKey);
    if (timed) return timed.value as T;
    const mentionsNow = /\bnow\b/i.test(query);
    const value = compile(new Date(mentionsNow ? ms : second * 1000));
    if (!value.usesNow) this.memo.set(key, { value });
    else if (!mentionsNow) this.memo.set(timedKey, { value });
    return value;
  }
}
