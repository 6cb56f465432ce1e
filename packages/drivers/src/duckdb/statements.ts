import type {
  DuckDBConnection,
  DuckDBMaterializedResult,
  DuckDBPreparedStatement,
  DuckDBType,
  DuckDBValue,
} from '@duckdb/node-api';

/** Prepared statements kept per connection (a compiled query's SQL repeats; its values change). */
const PER_CONNECTION = 64;

/**
 * One connection's prepared statements by SQL text, the least recently used dropped first.
 * Preparing (parse, bind, plan) is a good part of a small query's time, and only the bound
 * values differ between the queries a compiled form produces. A connection runs one statement at
 * a time, so a statement is never bound by two queries at once; closing the connection destroys
 * its statements.
 */
class Statements {
  private readonly bySql = new Map<string, DuckDBPreparedStatement>();

  constructor(private readonly connection: DuckDBConnection) {}

  async get(sql: string): Promise<DuckDBPreparedStatement> {
    const known = this.bySql.get(sql);
    if (known) {
      this.bySql.delete(sql);
      this.bySql.set(sql, known);
      return known;
    }
    const prepared = await this.connection.prepare(sql);
    if (this.bySql.size >= PER_CONNECTION) {
      const [oldest, statement] = this.bySql.entries().next().value!;
      this.bySql.delete(oldest);
      statement.destroySync();
    }
    this.bySql.set(sql, prepared);
    return prepared;
  }
}

const byConnection = new WeakMap<DuckDBConnection, Statements>();

/**
 * Runs `sql` with `values` on a statement this connection prepared before, or prepares and keeps
 * it. SQL that one statement cannot hold (several statements) runs as it would without the cache.
 */
export async function runPrepared(
  c: DuckDBConnection,
  sql: string,
  values: DuckDBValue[],
  types: DuckDBType[],
): Promise<DuckDBMaterializedResult> {
  let statements = byConnection.get(c);
  if (!statements) {
    statements = new Statements(c);
    byConnection.set(c, statements);
  }
  let prepared: DuckDBPreparedStatement;
  try {
    prepared = await statements.get(sql);
  } catch {
    // Several statements, or SQL that does not prepare: the usual path runs it (or says why not).
    return c.run(sql, values, types);
  }
  // Every parameter is bound afresh: none of an earlier query's values may stay behind.
  prepared.clearBindings();
  prepared.bind(values, types);
  return prepared.run();
}
