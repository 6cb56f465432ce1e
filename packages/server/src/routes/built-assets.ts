import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { InlayError } from '@inlay/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Files of a browser app the server builds itself (the embed runtime, the builder) and serves from
 * memory: built on the first request when missing or older than their sources, read once per
 * version (mtime and size), gzipped once, answered with an ETag.
 */
export interface BuiltAssetsOptions {
  distDir: string;
  /** A file every build writes: without it there is no build. */
  entry: string;
  /** What it is, for messages: `embed runtime`, `builder app`. */
  what: string;
  /** How a missing file is named: `embed` (`no embed file '…'`). */
  kind: string;
  build: (outDir: string) => Promise<unknown>;
  isCurrent: (outDir: string) => Promise<boolean>;
  /** How to build it by hand, for the error a failed build gives. */
  hint: string;
}

interface Asset {
  body: Buffer;
  gzip: Buffer;
  etag: string;
  /** `mtime:size`: a rebuilt file is read again. */
  version: string;
}

export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface BuiltAssets {
  /** The file `name` (relative to the dist folder) once the build is current; a 404 names `shown`. */
  read(name: string, shown?: string): Promise<Asset>;
  send(
    req: FastifyRequest,
    reply: FastifyReply,
    asset: Asset,
    headers: { type: string; cacheControl: string } & Record<string, string>,
  ): FastifyReply;
}

export function builtAssets(o: BuiltAssetsOptions): BuiltAssets {
  const distDir = path.resolve(o.distDir);
  const assets = new Map<string, Asset>();
  let building: Promise<void> | undefined;
  const missing = (shown: string) => new InlayError('NOT_FOUND', `no ${o.kind} file '${shown}'`);

  async function buildIfNeeded(): Promise<void> {
    const present = await stat(path.join(distDir, o.entry)).then(
      () => true,
      () => false,
    );
    if (present && (await o.isCurrent(distDir))) return;
    try {
      await o.build(distDir);
    } catch (err) {
      throw new InlayError('CONFIG', `building the ${o.what} failed: ${String(err).slice(0, 500)}`, {
        hint: o.hint,
      });
    }
  }

  /** One check (and build, when missing or stale) for every request; a failed build is retried next time. */
  function ensureBuilt(): Promise<void> {
    building ??= buildIfNeeded().catch((err: unknown) => {
      building = undefined;
      throw err;
    });
    return building;
  }

  return {
    async read(name, shown = name) {
      const file = path.join(distDir, name);
      // Belt and braces: the routes admit plain names only; nothing outside the folder either way.
      if (!file.startsWith(`${distDir}${path.sep}`)) throw missing(shown);
      await ensureBuilt();
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) throw missing(shown);
      const version = `${info.mtimeMs}:${info.size}`;
      const known = assets.get(file);
      if (known?.version === version) return known;
      const body = await readFile(file);
      const asset: Asset = {
        body,
        gzip: gzipSync(body, { level: 9 }),
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        version,
      };
      assets.set(file, asset);
      return asset;
    },

    send(req, reply, asset, { type, cacheControl, ...extra }) {
      reply
        .headers(extra)
        .header('content-type', type)
        .header('cache-control', cacheControl)
        .header('etag', asset.etag)
        .header('x-content-type-options', 'nosniff')
        .header('vary', 'Accept-Encoding');
      if (req.headers['if-none-match'] === asset.etag) return reply.code(304).send();
      if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        return reply.header('content-encoding', 'gzip').send(asset.gzip);
      }
      return reply.send(asset.body);
    },
  };
}
