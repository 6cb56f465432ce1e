import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InlayError } from '@inlay/core';
import { importModule } from '@inlay/core/import-module';
import { DRIVER_TYPES, exampleConnection } from '@inlay/drivers';
import type { ConnectionSpec, DataPreparation } from './workspace.js';

/**
 * What a project's `setup` module exports. `prepare` runs before any connection opens, on every
 * start and CLI run, so it must be quick when its work is done already (the flights demo builds
 * its DuckDB file once into the data dir, then only checks it).
 *
 * Work that takes a while (a first build) may go on after `prepare` returns: it then returns
 * `ready`, a promise that settles when the data its connection reads is there. The server answers
 * meanwhile (`/healthz`, docs, the builder; `/readyz` says it is preparing), and everything that
 * would open a driver (queries, rollup builds, connection tests) waits for `ready`; if it rejects,
 * those fail with its error and the server keeps running. The CLI waits for it before querying.
 */
export interface ProjectSetup {
  prepare(options: {
    /** The server's (or CLI's) data dir, for files the setup builds. */
    dataDir: string;
    /** Progress for people (a first build that takes a while). */
    log: (line: string) => void;
  }): Promise<PreparedProject | undefined>;
}

/** What `prepare` returns: the connection it offers, and `ready` while its data is being prepared. */
export interface PreparedProject {
  connection?: ConnectionSpec;
  /** Settles when the data the connection reads is complete; absent when it is already. */
  ready?: PromiseLike<void>;
}

/** `./scripts/setup.ts` from the project folder, or a package specifier resolved from there. */
function setupUrl(projectDir: string, specifier: string): string {
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    return pathToFileURL(resolve(projectDir, specifier)).href;
  }
  // Resolved as the project's own code would resolve it: from its folder's node_modules.
  return pathToFileURL(createRequire(join(projectDir, 'package.json')).resolve(specifier)).href;
}

function setupError(specifier: string, message: string, hint: string): InlayError {
  return new InlayError('CONFIG', `the project's setup '${specifier}' ${message}`, { hint });
}

/**
 * Loads the module a project's config names as `setup` and runs its `prepare`; returns the
 * connection it offers (the project's `default` data source when the config names none) and, while
 * its data is still being prepared, `ready`: it rejects with an error naming the setup and the
 * cause, and an unawaited rejection never takes the process down.
 */
export async function runProjectSetup(
  projectDir: string,
  specifier: string,
  options: { dataDir: string; log?: (line: string) => void },
): Promise<{ connection?: ConnectionSpec; ready?: Promise<void> }> {
  let mod: Partial<ProjectSetup>;
  try {
    mod = await importModule<Partial<ProjectSetup>>(setupUrl(projectDir, specifier), { nodeOnly: true });
  } catch (e) {
    throw setupError(
      specifier,
      `could not be loaded: ${firstLine(e)}`,
      'Give a path relative to the project folder (./setup.ts) or a package the project depends on (run `npm install` there).',
    );
  }
  if (typeof mod.prepare !== 'function') {
    throw setupError(
      specifier,
      'exports no prepare function.',
      'Export `async function prepare({ dataDir }) { … return { connection } }`.',
    );
  }
  const prepared = await mod.prepare({ dataDir: options.dataDir, log: options.log ?? (() => {}) });
  const connection = prepared?.connection;
  if (connection !== undefined && typeof connection?.type !== 'string') {
    throw setupError(
      specifier,
      `returned a connection without a type: ${JSON.stringify(connection)}.`,
      `Return ${exampleConnection().slice(1, -1).trim()} or no connection (types: ${DRIVER_TYPES.join(', ')}).`,
    );
  }
  const ready = prepared?.ready === undefined ? undefined : readiness(specifier, prepared.ready);
  return { ...(connection ? { connection } : {}), ...(ready ? { ready } : {}) };
}

/** The setup's `ready` as a promise whose rejection says which setup failed, and why. */
function readiness(specifier: string, ready: unknown): Promise<void> {
  if (typeof (ready as PromiseLike<void> | null)?.then !== 'function') {
    throw setupError(
      specifier,
      `returned a ready that is not a promise: ${JSON.stringify(ready)}.`,
      'Return `ready` only while data is still being prepared: a promise that settles when it is there.',
    );
  }
  const settled = Promise.resolve(ready as PromiseLike<void>).then(
    () => undefined,
    (cause: unknown) => {
      throw new InlayError(
        'CONFIG',
        `the project's setup '${specifier}' failed to prepare its data: ${firstLine(cause)}`,
        { hint: 'Fix the cause, then start again.', cause },
      );
    },
  );
  // Handled here: the caller awaits it only later (a server answers meanwhile), and a rejection
  // nobody has awaited yet must not end the process.
  settled.catch(() => {});
  return settled;
}

function firstLine(cause: unknown): string {
  return (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]!;
}

/** Follows a setup's `ready` (from `runProjectSetup`), so `/readyz` can say where it stands without waiting. */
export function trackPreparation(ready: Promise<void>): DataPreparation {
  let state: ReturnType<DataPreparation['state']> = 'preparing';
  ready.then(
    () => {
      state = 'ready';
    },
    () => {
      state = 'failed';
    },
  );
  return { done: ready, state: () => state };
}
