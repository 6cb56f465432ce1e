import type { Transaction } from 'kysely';
import { type Db, inTransaction, type PreaggKind, type StoreSchema } from '../schema.js';

/** Which rollup table a partition belongs to: one per workspace, environment and rollup hash. */
export interface RollupKey {
  workspaceId: string;
  environment: string;
  rollupHash: string;
}

export interface PartitionRecord extends RollupKey {
  partitionId: string;
  rollupId: string;
  kind: PreaggKind;
  dataSource: string;
  /** `<connection>@<its updated_at>` the rows were (or are to be) built from. */
  source: string;
  start: string;
  end: string;
  generation: number;
  /** Relative to `<dataDir>/preaggs`; undefined until the first build succeeds. */
  file: string | undefined;
  rows: number | undefined;
  builtAt: string | undefined;
  refreshValue: string | undefined;
  buildMs: number | undefined;
  lastError: string | undefined;
  lastErrorAt: string | undefined;
}

export interface PartitionSpec {
  id: string;
  start: string;
  end: string;
}

export interface BuiltPartition {
  file: string;
  rows: number;
  builtAt: string;
  refreshValue: string | undefined;
  buildMs: number;
  source: string;
}

export interface RefreshContexts {
  /** The request as given (Embeddable's shape), for status and for a later reader. */
  body: unknown;
  environments: string[];
  updatedAt: string;
}

type PartitionRow = StoreSchema['preagg_partitions'] & { generation: number; kind: PreaggKind };

/** Lease holder's commit found the lease gone (expired and taken): nothing was written. */
export class LeaseLostError extends Error {
  constructor(key: string, why = 'the lease was taken by another builder') {
    super(`${key}: not committed, ${why}`);
    this.name = 'LeaseLostError';
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The pre-aggregation manifest, leases and refresh contexts. Every replica and worker reads the
 * same rows, so the manifest, not any process's memory, says which file serves a partition.
 */
export class PreaggsRepo {
  constructor(private readonly db: Db) {}

  async listPartitions(filter: Partial<RollupKey> = {}): Promise<PartitionRecord[]> {
    let q = this.db.selectFrom('preagg_partitions').selectAll();
    if (filter.workspaceId !== undefined) q = q.where('workspace_id', '=', filter.workspaceId);
    if (filter.environment !== undefined) q = q.where('environment', '=', filter.environment);
    if (filter.rollupHash !== undefined) q = q.where('rollup_hash', '=', filter.rollupHash);
    const rows = await q
      .orderBy('workspace_id')
      .orderBy('environment')
      .orderBy('rollup_hash')
      .orderBy('partition_id')
      .execute();
    return rows.map((r) => toRecord(r as PartitionRow));
  }

  async findPartition(key: RollupKey, partitionId: string): Promise<PartitionRecord | undefined> {
    const row = await this.db
      .selectFrom('preagg_partitions')
      .selectAll()
      .where('workspace_id', '=', key.workspaceId)
      .where('environment', '=', key.environment)
      .where('rollup_hash', '=', key.rollupHash)
      .where('partition_id', '=', partitionId)
      .executeTakeFirst();
    return row && toRecord(row as PartitionRow);
  }

  /**
   * Makes the rollup's partition rows exactly `partitions`: new ones are added pending (no file),
   * ones outside the range are removed and returned (their files become garbage).
   */
  async syncPartitions(
    key: RollupKey & { rollupId: string; kind: PreaggKind; dataSource: string; source: string },
    partitions: PartitionSpec[],
  ): Promise<PartitionRecord[]> {
    // Read outside the transaction, so on SQLite it starts with a write (no lock upgrade to fail).
    const existing = await this.listPartitions(key);
    const have = new Set(existing.map((r) => r.partitionId));
    const wanted = new Set(partitions.map((p) => p.id));
    const missing = partitions.filter((p) => !have.has(p.id));
    const gone = existing.filter((r) => !wanted.has(r.partitionId));
    if (missing.length === 0 && gone.length === 0) return [];
    await inTransaction(this.db, async (trx) => {
      for (let i = 0; i < missing.length; i += 200) {
        await trx
          .insertInto('preagg_partitions')
          .values(
            missing.slice(i, i + 200).map((p) => ({
              workspace_id: key.workspaceId,
              environment: key.environment,
              rollup_hash: key.rollupHash,
              partition_id: p.id,
              rollup_id: key.rollupId,
              kind: key.kind,
              data_source: key.dataSource,
              source: key.source,
              partition_start: p.start,
              partition_end: p.end,
              generation: 0,
            })),
          )
          // Another builder may have added the same ones meanwhile: theirs stand.
          .onConflict((oc) =>
            oc.columns(['workspace_id', 'environment', 'rollup_hash', 'partition_id']).doNothing(),
          )
          .execute();
      }
      for (const r of gone) await deletePartition(trx, r);
    });
    return gone;
  }

  /**
   * Points a partition at its new file, in one transaction that also checks the caller still
   * holds the lease and that nobody committed another generation meanwhile (the generation the
   * caller read under the lease). Returns the new generation; throws LeaseLostError (and writes
   * nothing) when the lease is no longer the caller's.
   */
  async recordBuild(
    key: RollupKey,
    partitionId: string,
    previousGeneration: number,
    built: BuiltPartition,
    lease: { key: string; holder: string; nowMs: number },
  ): Promise<number> {
    return inTransaction(this.db, async (trx) => {
      // Write first: on SQLite that takes the write lock before any read can go stale.
      const res = await trx
        .updateTable('preagg_partitions')
        .set({
          generation: previousGeneration + 1,
          file: built.file,
          rows: built.rows,
          built_at: built.builtAt,
          refresh_value: built.refreshValue ?? null,
          build_ms: built.buildMs,
          source: built.source,
          last_error: null,
          last_error_at: null,
        })
        .where('workspace_id', '=', key.workspaceId)
        .where('environment', '=', key.environment)
        .where('rollup_hash', '=', key.rollupHash)
        .where('partition_id', '=', partitionId)
        .where('generation', '=', previousGeneration)
        .executeTakeFirst();
      const held = await trx
        .selectFrom('preagg_leases')
        .select('key')
        .where('key', '=', lease.key)
        .where('holder', '=', lease.holder)
        .where('expires_at', '>', iso(lease.nowMs))
        .executeTakeFirst();
      if (!held) throw new LeaseLostError(lease.key);
      if (res.numUpdatedRows === 0n) {
        throw new LeaseLostError(lease.key, 'the partition was rebuilt or dropped meanwhile');
      }
      return previousGeneration + 1;
    });
  }

  /** Keeps the partition's file (the previous generation goes on serving) and notes why the build failed. */
  async recordError(key: RollupKey, partitionId: string, message: string, at: string): Promise<void> {
    await this.db
      .updateTable('preagg_partitions')
      .set({ last_error: message.slice(0, 2000), last_error_at: at })
      .where('workspace_id', '=', key.workspaceId)
      .where('environment', '=', key.environment)
      .where('rollup_hash', '=', key.rollupHash)
      .where('partition_id', '=', partitionId)
      .execute();
  }

  /** Forgets these partitions (a rollup no model serves any more); their files become garbage. */
  async deletePartitions(rows: PartitionRecord[]): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      for (const r of rows) await deletePartition(trx, r);
    });
  }

  /**
   * Takes the lease when it is free, expired, or already the holder's (a renewal): one
   * conditional upsert, then a read of who holds it, in a transaction.
   */
  async acquireLease(key: string, holder: string, nowMs: number, ttlMs: number): Promise<boolean> {
    return inTransaction(this.db, async (trx) => {
      await trx
        .insertInto('preagg_leases')
        .values({ key, holder, expires_at: iso(nowMs + ttlMs) })
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet({ holder, expires_at: iso(nowMs + ttlMs) })
            .where((eb) =>
              eb.or([
                eb('preagg_leases.expires_at', '<=', iso(nowMs)),
                eb('preagg_leases.holder', '=', holder),
              ]),
            ),
        )
        .execute();
      const row = await trx
        .selectFrom('preagg_leases')
        .select('holder')
        .where('key', '=', key)
        .executeTakeFirst();
      return row?.holder === holder;
    });
  }

  /** Extends a lease the holder still has; false when it expired and someone else took it. */
  async renewLease(key: string, holder: string, nowMs: number, ttlMs: number): Promise<boolean> {
    const res = await this.db
      .updateTable('preagg_leases')
      .set({ expires_at: iso(nowMs + ttlMs) })
      .where('key', '=', key)
      .where('holder', '=', holder)
      .executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  async releaseLease(key: string, holder: string): Promise<void> {
    await this.db.deleteFrom('preagg_leases').where('key', '=', key).where('holder', '=', holder).execute();
  }

  /** Each call replaces the last (Embeddable's rule). */
  async setRefreshContexts(workspaceId: string, body: unknown, environments: string[]): Promise<void> {
    const row = {
      body: JSON.stringify(body),
      environments: JSON.stringify([...new Set(environments)].sort()),
      updated_at: new Date().toISOString(),
    };
    await this.db
      .insertInto('preagg_refresh_contexts')
      .values({ workspace_id: workspaceId, ...row })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet(row))
      .execute();
  }

  async refreshContexts(workspaceId: string): Promise<RefreshContexts | undefined> {
    const row = await this.db
      .selectFrom('preagg_refresh_contexts')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      body: JSON.parse(row.body),
      environments: JSON.parse(row.environments) as string[],
      updatedAt: row.updated_at,
    };
  }
}

async function deletePartition(trx: Transaction<StoreSchema> | Db, r: PartitionRecord): Promise<void> {
  await trx
    .deleteFrom('preagg_partitions')
    .where('workspace_id', '=', r.workspaceId)
    .where('environment', '=', r.environment)
    .where('rollup_hash', '=', r.rollupHash)
    .where('partition_id', '=', r.partitionId)
    .execute();
}

function toRecord(r: PartitionRow): PartitionRecord {
  return {
    workspaceId: r.workspace_id,
    environment: r.environment,
    rollupHash: r.rollup_hash,
    partitionId: r.partition_id,
    rollupId: r.rollup_id,
    kind: r.kind,
    dataSource: r.data_source,
    source: r.source,
    start: r.partition_start,
    end: r.partition_end,
    generation: Number(r.generation),
    file: r.file ?? undefined,
    rows: r.rows === null ? undefined : Number(r.rows),
    builtAt: r.built_at ?? undefined,
    refreshValue: r.refresh_value ?? undefined,
    buildMs: r.build_ms === null ? undefined : Number(r.build_ms),
    lastError: r.last_error ?? undefined,
    lastErrorAt: r.last_error_at ?? undefined,
  };
}
