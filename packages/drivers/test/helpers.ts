import { randomBytes } from 'node:crypto';
import { type InlayError, isInlayError } from '@inlay/core';

export const PGURL = process.env.PGURL || 'postgres://postgres@127.0.0.1:5432/test';

/** A name no other test run uses (tables, schemas, roles, markers). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Strings that must arrive as data, never as SQL. NUL is tested on its own (PostgreSQL rejects it). */
export const HOSTILE_STRINGS: readonly string[] = [
  "O'Reilly",
  "'; DROP TABLE flights; --",
  'semi;colon; SELECT 1;',
  '"double" `back` \\backslash\\',
  '$1 ? :name %s',
  '',
  '  padded  ',
  'line\nbreak\ttab\rreturn',
  'unicode ✈️ 日本語 Ελληνικά émoji 🛫 \u{1F600}',
  `${'x'.repeat(1024 * 1024 - 3)}end`,
];

export async function elapsed<T>(fn: () => Promise<T>): Promise<{ ms: number; error: unknown; value?: T }> {
  const t0 = performance.now();
  try {
    const value = await fn();
    return { ms: performance.now() - t0, error: undefined, value };
  } catch (error) {
    return { ms: performance.now() - t0, error };
  }
}

/**
 * How many statements `running` still counts once `withinMs` passed or it counted none. A cancel
 * reaches the server asynchronously (PostgreSQL's pg_cancel_backend, MySQL's KILL QUERY), so right
 * after the driver's error the statement may still show as running; the promise is that it stops
 * within 2 s of the error.
 */
export async function runningAfter(running: () => Promise<number>, withinMs = 2_000): Promise<number> {
  const t0 = Date.now();
  let n = await running();
  while (n > 0 && Date.now() - t0 < withinMs) {
    await new Promise((r) => setTimeout(r, 50));
    n = await running();
  }
  return n;
}

/** The InlayError `fn` throws; anything else (or nothing) fails the test. */
export function failure(fn: () => unknown): InlayError {
  try {
    fn();
  } catch (e) {
    if (isInlayError(e)) return e;
    throw e;
  }
  throw new Error('expected an InlayError');
}
