import type { Driver } from '@inlay/core';
import { everyMs, type SemanticModel } from '@inlay/engine';

/** How long answers over some cubes stay fresh. */
export interface Freshness {
  /** Age after which an answer is stale by time (Infinity when only `sql` keys decide). */
  everyMs: number;
  /** `refresh_key.sql` of the touched cubes, with how often each may be re-checked. */
  sqlKeys: { sql: string; checkEveryMs: number }[];
}

/** `"10 second"`, `"5 minutes"`, `"1 hour"` → milliseconds (the engine's reading); undefined when unreadable. */
export function everyToMs(text: string): number | undefined {
  try {
    return everyMs(text);
  } catch {
    return undefined;
  }
}

/** Cube checks a `refresh_key.sql` every 10 seconds unless `every` says otherwise. */
const SQL_CHECK_DEFAULT_MS = 10_000;

/**
 * The freshness of an answer reading `cubes`: the shortest `every` among cubes keyed by time
 * (the default for cubes without a `refresh_key`), and every cube's `sql` key, which alone decides
 * for its cube (an `every` beside it says how often to check).
 */
export function freshnessOf(
  model: SemanticModel,
  cubes: readonly string[],
  defaultEveryMs: number,
): Freshness {
  let everyMs = Number.POSITIVE_INFINITY;
  const sqlKeys: Freshness['sqlKeys'] = [];
  for (const name of cubes) {
    const key = model.cubes.get(name)?.refreshKey;
    const every = key?.every ? everyToMs(key.every) : undefined;
    if (key?.sql) {
      sqlKeys.push({ sql: key.sql, checkEveryMs: every ?? SQL_CHECK_DEFAULT_MS });
    } else {
      everyMs = Math.min(everyMs, every ?? defaultEveryMs);
    }
  }
  if (sqlKeys.length === 0 && !Number.isFinite(everyMs)) everyMs = defaultEveryMs;
  return { everyMs, sqlKeys };
}

interface Checked {
  value: string;
  checkedAt: number;
}

/**
 * Runs `refresh_key.sql` statements at most once per `checkEveryMs` per connection, one at a time
 * per statement however many requests ask, and remembers the last value.
 */
export class RefreshKeyChecker {
  private readonly values = new Map<string, Checked>();
  private readonly running = new Map<string, Promise<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The current values of `keys` on `driver`, joined; '' when there are none. */
  async current(
    connection: string,
    driver: Pick<Driver, 'query'>,
    keys: Freshness['sqlKeys'],
  ): Promise<string> {
    if (keys.length === 0) return '';
    const values = await Promise.all(keys.map((k) => this.value(connection, driver, k)));
    return values.join('\u0000');
  }

  private value(connection: string, driver: Pick<Driver, 'query'>, key: Freshness['sqlKeys'][number]) {
    const id = `${connection}\u0000${key.sql}`;
    const known = this.values.get(id);
    if (known && this.now() - known.checkedAt < key.checkEveryMs) return Promise.resolve(known.value);
    let run = this.running.get(id);
    if (!run) {
      run = driver
        .query(key.sql, [])
        .then((r) => {
          const row = r.rows[0];
          const value = JSON.stringify(row ? Object.values(row) : [], (_, v) =>
            typeof v === 'bigint' ? v.toString() : v,
          );
          this.values.set(id, { value, checkedAt: this.now() });
          return value;
        })
        .finally(() => this.running.delete(id));
      this.running.set(id, run);
    }
    return run;
  }
}
