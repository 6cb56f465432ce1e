import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type pg from 'pg';
import { clientInternals } from '../pg-wire/driver.js';
import { loadPg } from '../pg-wire/load.js';

const CANCEL_REQUEST_CODE = 80_877_102;

/** A PostgreSQL CancelRequest: length 16, code 80877102, the backend's process id and secret key. */
export function cancelRequestPacket(processId: number, secretKey: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32BE(16, 0);
  b.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  b.writeInt32BE(processId | 0, 8);
  b.writeInt32BE(secretKey | 0, 12);
  return b;
}

/**
 * Sends a cancel request on a fresh connection. Resolves `true` once the server has read it and
 * closed the connection, `false` when it could not be sent or `timeoutMs` passed first (a QuestDB
 * whose PostgreSQL workers are all busy running queries reads nothing). Never rejects.
 */
export function sendCancelRequest(
  endpoint: { host: string; port: number },
  processId: number,
  secretKey: number,
  timeoutMs = 1_000,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    let sent = false;
    const done = (taken: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(taken);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('error', () => done(false));
    // The server closes the connection once it has read the request. Our side stays open, so only
    // that counts (a network layer may answer a half-close without the server reading anything).
    socket.on('end', () => done(sent));
    socket.on('close', () => done(sent));
    socket.on('connect', () => {
      socket.write(cancelRequestPacket(processId, secretKey), () => {
        sent = true;
      });
    });
  });
}

/** A connection's own marker, `inlay:` and 16 random hex digits: ours, never user text. */
export function newStatementMarker(): string {
  return `inlay:${randomBytes(8).toString('hex')}`;
}

/**
 * The comment put after every statement of a connection, so `query_activity()` shows whose it is.
 * After the statement, since QuestDB drops a leading comment from the text it lists; on a line of
 * its own, so that a trailing `--` comment in the SQL cannot swallow it.
 */
export function markerComment(marker: string): string {
  return `\n/* ${marker} */`;
}

const ACTIVE_WITH_MARKER = "SELECT query_id FROM query_activity() WHERE query LIKE $1 AND state = 'active'";

/**
 * Finds the statements carrying `marker` in `query_activity()` from a separate connection and
 * stops each with `CANCEL QUERY <id>` (the id is QuestDB's own integer, checked before use).
 * Gives up when `timeoutMs` passes; never rejects. Resolves with the ids it cancelled.
 */
export async function cancelByMarker(
  config: pg.ClientConfig,
  marker: string,
  timeoutMs: number,
): Promise<string[]> {
  const client = new (loadPg().Client)({ ...config, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), timeoutMs);
  });
  const work = (async () => {
    await client.connect();
    const found = await client.query<{ query_id: unknown }>(ACTIVE_WITH_MARKER, [`%${marker}%`]);
    const cancelled: string[] = [];
    for (const { query_id } of found.rows) {
      const id = String(query_id);
      if (!/^\d{1,19}$/.test(id)) continue;
      // A query that ended in between makes CANCEL QUERY fail: nothing left to stop.
      await client.query(`CANCEL QUERY ${id}`).then(
        () => cancelled.push(id),
        () => {},
      );
    }
    return cancelled;
  })().catch(() => [] as string[]);
  try {
    return await Promise.race([work, giveUp]);
  } finally {
    clearTimeout(timer);
    // A server too busy to answer must not keep this connection (or the caller) waiting.
    client.end().catch(() => {});
    clientInternals(client).connection?.stream?.destroy();
  }
}
