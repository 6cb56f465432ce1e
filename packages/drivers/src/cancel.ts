import { InlayError, type QueryOptions } from '@inlay/core';

/** How long to wait for the database to give up a statement after asking it to stop. */
const SETTLE_AFTER_CANCEL_MS = 5_000;

export type StopReason = 'TIMEOUT' | 'CANCELLED';

export interface CancellableOutcome<T> {
  /** Set when the statement was stopped; the caller should not reuse a connection that never settled. */
  stopped: StopReason | null;
  /** True when the statement settled (succeeded or failed) after the stop request. */
  settled: boolean;
  result?: T;
  error?: unknown;
}

function stopError(reason: StopReason, timeoutMs: number | undefined): InlayError {
  return reason === 'TIMEOUT'
    ? new InlayError(
        'TIMEOUT',
        `Query did not finish within ${timeoutMs} ms and was cancelled on the database.`,
        {
          hint: 'Narrow the query (filters, date range, fewer dimensions) or raise the timeout.',
        },
      )
    : new InlayError('CANCELLED', 'Query was cancelled.');
}

/** Throws CANCELLED at once when the signal has already fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw stopError('CANCELLED', undefined);
}

/**
 * Runs `work`; when `timeoutMs` passes or `signal` fires, calls `cancel` (which must stop the
 * statement on the server), waits for the statement to give up, then reports TIMEOUT/CANCELLED.
 * Never throws: the caller decides what to do with the connection, then calls `unwrap`.
 */
export async function runCancellable<T>(
  work: Promise<T>,
  cancel: () => Promise<void> | void,
  options: QueryOptions,
): Promise<CancellableOutcome<T>> {
  const { timeoutMs, signal } = options;
  let stopped: StopReason | null = null;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const settledWork = work.then(
    (result) => ({ ok: true as const, result }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const stop = new Promise<StopReason>((resolve) => {
    if (timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs)) {
      timer = setTimeout(() => resolve('TIMEOUT'), timeoutMs);
    }
    if (signal) {
      onAbort = () => resolve('CANCELLED');
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  try {
    const first = await Promise.race([settledWork, stop]);
    if (typeof first === 'object') {
      return first.ok
        ? { stopped, settled: true, result: first.result }
        : { stopped, settled: true, error: first.error };
    }
    stopped = first;
    try {
      await cancel();
    } catch {
      // The statement may have finished in the meantime; waiting below tells.
    }
    let capTimer: NodeJS.Timeout | undefined;
    const cap = new Promise<null>((resolve) => {
      capTimer = setTimeout(() => resolve(null), SETTLE_AFTER_CANCEL_MS);
    });
    const after = await Promise.race([settledWork, cap]);
    clearTimeout(capTimer);
    return { stopped, settled: after !== null, error: stopError(stopped, timeoutMs) };
  } finally {
    clearTimeout(timer);
    if (signal && onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** The result, or the error to throw: stop errors as they are, others through `mapError`. */
export function unwrap<T>(outcome: CancellableOutcome<T>, mapError: (e: unknown) => Error): T {
  if (outcome.stopped) throw outcome.error;
  if ('error' in outcome) throw mapError(outcome.error);
  return outcome.result as T;
}
