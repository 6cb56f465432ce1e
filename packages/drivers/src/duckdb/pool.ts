import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/**
 * A few DuckDB connections on one instance. A connection runs one statement at a time and
 * `interrupt()` stops what runs on that connection only, so each query borrows its own.
 */
export class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly all = new Set<DuckDBConnection>();
  private readonly waiters: ((c: DuckDBConnection | Error) => void)[] = [];
  private opening = 0;
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly size: number,
    private readonly setup: (c: DuckDBConnection) => Promise<void>,
  ) {}

  async acquire(): Promise<DuckDBConnection> {
    if (this.closed) throw new Error('driver is closed');
    const ready = this.idle.pop();
    if (ready) return ready;
    if (this.all.size + this.opening < this.size) {
      this.opening++;
      try {
        const c = await this.instance.connect();
        await this.setup(c);
        this.all.add(c);
        return c;
      } finally {
        this.opening--;
      }
    }
    return new Promise<DuckDBConnection>((resolve, reject) => {
      this.waiters.push((c) => (c instanceof Error ? reject(c) : resolve(c)));
    });
  }

  /** Returns a connection; `discard` closes it instead (after an interrupt, or when it may be busy). */
  release(c: DuckDBConnection, discard = false, busy = false): void {
    if (discard || this.closed) {
      this.all.delete(c);
      if (!busy) c.closeSync();
      // A slot freed: let a waiter open a fresh connection.
      const next = this.waiters.shift();
      if (next && !this.closed) this.acquire().then(next, (e: unknown) => next(e as Error));
      return;
    }
    const next = this.waiters.shift();
    if (next) next(c);
    else this.idle.push(c);
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w(new Error('driver is closed'));
    const idle = new Set(this.idle);
    // Idle connections close now; busy ones are interrupted and close when their statement returns.
    for (const c of this.all) {
      if (idle.has(c)) c.closeSync();
      else c.interrupt();
    }
    this.all.clear();
    this.idle.length = 0;
  }
}
