import type { Query, SecurityOptions } from '@inlay/core';
import type { SemanticModel } from '@inlay/engine';
import { LRUCache } from 'lru-cache';

/** What a compiled form depends on besides the model: the query, the caller, the target. */
export interface CompileInput {
  query: Query;
  security: SecurityOptions;
  maxRows: number;
}

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

/** Callers (model, target, row cap, security) kept per shared query before its list starts over. */
const CALLERS_PER_QUERY = 16;

/**
 * Compiled queries (or rollup plans) by everything compiling reads: model version, target (a
 * dialect, or the rollups of one workspace and environment), row cap, query and security.
 *
 * The engine says whether a compiled form read the clock (`usesNow`). One that did not is kept
 * for good. One that did ("last 7 days") is kept for the current second: relative ranges resolve
 * to whole seconds at the finest, except `now` itself, which is the current millisecond and is
 * compiled every time.
 */
export class CompiledQueries {
  private readonly memo = new LRUCache<string, { value: unknown }>({ max: 5_000 });
  /**
   * Timeless compiled forms of frozen queries, found by the query object itself: a repeated
   * request then hashes a short caller key instead of the whole query text. Lives as long as the
   * shared body does (the body cache bounds it).
   */
  private readonly byQuery = new WeakMap<object, Map<string, { value: unknown }>>();

  constructor(readonly now: () => number = Date.now) {}

  get<T extends { usesNow: boolean }>(
    model: SemanticModel,
    target: string,
    input: CompileInput,
    compile: (now: Date) => T,
  ): T {
    // Versions and targets are our own names (no NUL); the security text is JSON, so ends are clear.
    const caller = `${model.version}\u0000${target}\u0000${input.maxRows}\u0000${textOf(input.security)}`;
    const shared = Object.isFrozen(input.query) ? this.byQuery.get(input.query)?.get(caller) : undefined;
    if (shared) return shared.value as T;
    const query = textOf(input.query);
    const key = caller + query;
    const timeless = this.memo.get(key);
    if (timeless) {
      this.share(input.query, caller, timeless);
      return timeless.value as T;
    }
    const ms = this.now();
    const second = Math.floor(ms / 1000);
    const timedKey = `${second}\u0000${key}`;
    const timed = this.memo.get(timedKey);
    if (timed) return timed.value as T;
    const mentionsNow = /\bnow\b/i.test(query);
    const value = compile(new Date(mentionsNow ? ms : second * 1000));
    if (!value.usesNow) {
      this.memo.set(key, { value });
      this.share(input.query, caller, { value });
    } else if (!mentionsNow) this.memo.set(timedKey, { value });
    return value;
  }

  private share(query: object, caller: string, entry: { value: unknown }): void {
    if (!Object.isFrozen(query)) return;
    let callers = this.byQuery.get(query);
    if (!callers || callers.size >= CALLERS_PER_QUERY) {
      callers = new Map();
      this.byQuery.set(query, callers);
    }
    callers.set(caller, entry);
  }
}
