import { type Driver, InlayError } from '@inlay/core';
import type { FastifyRequest } from 'fastify';
import type { Workspace } from '../workspaces/index.js';
import { overloaded } from './errors.js';

export interface ConcurrencyOptions {
  /** Statements running at once on one connection. */
  maxConcurrent: number;
  /** Statements waiting for a slot; one more is refused at once (503). */
  maxQueued: number;
  /** How long a statement may wait for a slot before it is refused (503). */
  maxWaitMs: number;
}

export type RejectReason = 'queue_full' | 'wait_timeout';

/** What the metrics want to know about the statements of one connection type. */
export interface QueryObserver {
  /** Driver time only (the wait for a slot is not in it). */
  query(type: string, seconds: number, ok: boolean): void;
  rejected(type: string, reason: RejectReason): void;
  /** Changes in running and waiting statements (gauges). */
  slots(type: string, activeDelta: number, queuedDelta: number): void;
}

export interface LimiterEvents {
  rejected?(reason: RejectReason): void;
  slots?(activeDelta: number, queuedDelta: number): void;
}

export interface Limiter {
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly active: number;
  readonly queued: number;
}

interface Waiter {
  start(): void;
}

/**
 * A semaphore with a bounded FIFO queue. A finished statement hands its slot straight to the
 * next waiter, so a burst cannot overtake the queue. A waiter leaves the queue when its wait
 * passes `maxWaitMs` (503) or its caller hangs up (`CANCELLED`), never having touched the database.
 */
export function createLimiter(opts: ConcurrencyOptions, events: LimiterEvents = {}): Limiter {
  let active = 0;
  const queue: Waiter[] = [];

  function release(): void {
    const next = queue.shift();
    if (next) {
      // The slot passes to the waiter: one fewer queued, as many running.
      events.slots?.(0, -1);
      next.start();
    } else {
      active--;
      events.slots?.(-1, 0);
    }
  }

  function reject(reason: RejectReason): InlayError {
    events.rejected?.(reason);
    return reason === 'queue_full'
      ? overloaded(
          `too many queries waiting on this connection (${opts.maxQueued} queued, ${opts.maxConcurrent} running)`,
        )
      : overloaded(`no free slot on this connection within ${opts.maxWaitMs} ms`);
  }

  function acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (active < opts.maxConcurrent) {
      active++;
      events.slots?.(1, 0);
      return Promise.resolve();
    }
    if (queue.length >= opts.maxQueued) return Promise.reject(reject('queue_full'));
    return new Promise<void>((resolve, fail) => {
      const leave = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const i = queue.indexOf(waiter);
        if (i >= 0) {
          queue.splice(i, 1);
          events.slots?.(0, -1);
        }
      };
      const waiter: Waiter = {
        start() {
          leave();
          resolve();
        },
      };
      const onAbort = (): void => {
        leave();
        fail(cancelled());
      };
      const timer = setTimeout(() => {
        leave();
        fail(reject('wait_timeout'));
      }, opts.maxWaitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
      events.slots?.(0, 1);
    });
  }

  return {
    async run(work, signal) {
      await acquire(signal);
      try {
        return await work();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get queued() {
      return queue.length;
    },
  };
}

function cancelled(): InlayError {
  return new InlayError('CANCELLED', 'the client went away before the query started');
}

/** A driver whose statements go through `limiter`; `test`, `canWrite` and `close` do not queue. */
export function limitDriver(driver: Driver, limiter: Limiter, observer?: QueryObserver): Driver {
  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    let ok = false;
    try {
      const result = await work();
      ok = true;
      return result;
    } finally {
      observer?.query(driver.dialect, (performance.now() - started) / 1000, ok);
    }
  };
  return {
    get dialect() {
      return driver.dialect;
    },
    query: (sql, params, options) =>
      limiter.run(() => timed(() => driver.query(sql, params, options)), options?.signal),
    execute: (sql, params) => limiter.run(() => driver.execute(sql, params)),
    schemas: () => limiter.run(() => timed(() => driver.schemas())),
    tables: (schema) => limiter.run(() => timed(() => driver.tables(schema))),
    columns: (tables) => limiter.run(() => timed(() => driver.columns(tables))),
    test: () => driver.test(),
    canWrite: () => driver.canWrite(),
    close: () => driver.close(),
  };
}

/**
 * Wraps workspaces so every driver they hand out runs its statements through a per-connection
 * limiter. A workspace caches one driver per connection, so one limiter per driver object is one
 * per connection; a connection that changes gets a new driver and with it a fresh limiter. The
 * per-statement timeout stays with the driver (it starts when the statement does).
 *
 * One limit for many workspaces: `limit(ws)` wraps a workspace once (a wrapped one, or the same
 * one again, comes back as it is), so a resolver's answers can go through it on every request.
 */
export function workspaceLimiter(
  opts: ConcurrencyOptions,
  observer?: QueryObserver,
): (workspace: Workspace) => Workspace {
  const wrappedDrivers = new WeakMap<Driver, Driver>();
  const wrappedWorkspaces = new WeakMap<Workspace, Workspace>();
  const limited = new WeakSet<Workspace>();

  function wrap(driver: Driver): Driver {
    let d = wrappedDrivers.get(driver);
    if (!d) {
      const type = driver.dialect;
      const limiter = createLimiter(opts, {
        rejected: (reason) => observer?.rejected(type, reason),
        slots: (a, q) => observer?.slots(type, a, q),
      });
      d = limitDriver(driver, limiter, observer);
      wrappedDrivers.set(driver, d);
    }
    return d;
  }

  return (workspace) => {
    if (limited.has(workspace)) return workspace;
    let w = wrappedWorkspaces.get(workspace);
    if (!w) {
      // Spread, not a class: the workspaces are plain objects, and members added later come along.
      w = {
        ...workspace,
        async getDriver(dataSource, environment) {
          return wrap(await workspace.getDriver(dataSource, environment));
        },
        async driverFor(source) {
          return wrap(await workspace.driverFor(source));
        },
      };
      wrappedWorkspaces.set(workspace, w);
      limited.add(w);
    }
    return w;
  };
}

/** A workspace resolver whose answers are limited workspaces. */
export function limitResolver<
  R extends { get(id: string): Promise<Workspace>; of(req: FastifyRequest): Promise<Workspace> },
>(resolver: R, limit: (workspace: Workspace) => Workspace): R {
  return {
    ...resolver,
    get: async (id: string) => limit(await resolver.get(id)),
    of: async (req: FastifyRequest) => limit(await resolver.of(req)),
  };
}
