import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InlayError } from '@inlay/core';
import { importModule } from '@inlay/core/import-module';
import { DRIVER_TYPES, exampleConnection } from '@inlay/drivers';
import type { ConnectionSpec } from './workspace.js';

/**
 * What a project's `setup` module exports. `prepare` runs before any connection opens, on every
 * start and CLI run, so it must be quick when its work is done already (the flights demo builds
 * its DuckDB file once into the data dir, then only checks it).
 */
export interface ProjectSetup {
  prepare(options: {
    /** The server's (or CLI's) data dir, for files the setup builds. */
    dataDir: string;
    /** Progress for people (a first build that takes a while). */
    log: (line: string) => void;
  }): Promise<{ connection?: ConnectionSpec } | undefined>;
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
 * connection it offers (the project's `default` data source when the config names none).
 */
export async function runProjectSetup(
  projectDir: string,
  specifier: string,
  options: { dataDir: string; log?: (line: string) => void },
): Promise<{ connection?: ConnectionSpec }> {
  let mod: Partial<ProjectSetup>;
  try {
    mod = await importModule<Partial<ProjectSetup>>(setupUrl(projectDir, specifier), { nodeOnly: true });
  } catch (e) {
    throw setupError(
      specifier,
      `could not be loaded: ${(e as Error).message.split('\n')[0]}`,
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
  if (connection === undefined) return {};
  if (typeof connection?.type !== 'string') {
    throw setupError(
      specifier,
      `returned a connection without a type: ${JSON.stringify(connection)}.`,
      `Return ${exampleConnection().slice(1, -1).trim()} or no connection (types: ${DRIVER_TYPES.join(', ')}).`,
    );
  }
  return { connection };
}
