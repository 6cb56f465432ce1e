import { resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { InlayError } from '@inlay/core';
import { configError, credentialsError, driverError } from '../errors.js';
import { duckdbResourceSettings } from './settings.js';

/**
 * One DuckDB instance per database file per process, shared by every driver that opens that file
 * and closed when the last of them closes. In-memory databases are never shared.
 */
interface Entry {
  instance: Promise<DuckDBInstance>;
  /** Set once open, so the last release can close synchronously (the file is free right after). */
  resolved?: DuckDBInstance;
  readOnly: boolean;
  /** Counted synchronously, before any await, so a concurrent release cannot close it under us. */
  refs: number;
}

export interface InstanceHandle {
  instance: DuckDBInstance;
  release(): void;
}

const open = new Map<string, Entry>();

function config(readOnly: boolean): Record<string, string> {
  return {
    ...duckdbResourceSettings(),
    access_mode: readOnly ? 'READ_ONLY' : 'READ_WRITE',
    // No network here, and no surprise downloads in production: extensions must be built in.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
}

/** DuckDB's words for a file that is missing, unreadable or not a database (it has no error codes). */
const CANNOT_OPEN_FILE =
  /database does not exist|No such file or directory|not a valid DuckDB database|Is a directory|Permission denied|Cannot open file/i;

async function create(path: string, readOnly: boolean): Promise<DuckDBInstance> {
  // Outside the try: a bad INLAY_DUCKDB_* setting is the operator's error, not the database's.
  const settings = config(readOnly);
  try {
    return await DuckDBInstance.create(path, settings);
  } catch (e) {
    const error = driverError(e, 'DuckDB');
    if (!CANNOT_OPEN_FILE.test(error.message)) throw error;
    throw new InlayError('CONNECTION_DATABASE', error.message, {
      hint: "Check the connection's `path`: an existing DuckDB file that the server can read.",
    });
  }
}

export async function acquireInstance(path: string | undefined, readOnly: boolean): Promise<InstanceHandle> {
  if (path === undefined || path === '' || path === ':memory:') {
    if (readOnly) {
      throw credentialsError(
        'DuckDB cannot open an in-memory database read-only.',
        'Give a file `path` or drop `readOnly`.',
      );
    }
    const instance = await create(':memory:', false);
    return { instance, release: () => instance.closeSync() };
  }
  const key = resolve(path);
  let entry = open.get(key);
  if (!entry) {
    const created: Entry = { instance: create(key, readOnly), readOnly, refs: 0 };
    created.instance.then(
      (i) => {
        created.resolved = i;
      },
      () => {
        if (open.get(key) === created) open.delete(key);
      },
    );
    open.set(key, created);
    entry = created;
  }
  if (entry.readOnly !== readOnly) {
    throw configError(
      `DuckDB file ${key} is already open ${entry.readOnly ? 'read-only' : 'read-write'} in this process.`,
      'Open it with the same readOnly setting, or close the other drivers first.',
    );
  }
  const held = entry;
  held.refs++;
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    held.refs--;
    if (held.refs === 0 && open.get(key) === held) {
      open.delete(key);
      if (held.resolved) held.resolved.closeSync();
      else held.instance.then((i) => i.closeSync()).catch(() => {});
    }
  };
  try {
    return { instance: await held.instance, release };
  } catch (e) {
    release();
    throw e;
  }
}
