import { fileURLToPath } from 'node:url';
import { InlayError } from '@inlay/core';
import type { FastifyPluginAsync } from 'fastify';
import { builtAssets, IMMUTABLE } from './built-assets.js';

/**
 * The browser runtime's files, public (no auth: they hold code, never data):
 * `GET /embed/v1/inlay.js` (revalidated each time: `no-cache` + ETag, so a new build is picked up)
 * and `GET /embed/v1/chunks/<name>.js` (content-hashed: cached for a year, immutable).
 * Served from a built dist folder, built on the first request when it is missing or older
 * than its sources (a component edited since the last build is never served stale).
 */
export interface EmbedAssetsOptions {
  /** Default: `packages/embed/dist`. */
  distDir?: string;
  /** Builds `distDir` when it has no `inlay.js`; default `buildEmbed({outDir})` of `@inlay/embed`. */
  build?: (outDir: string) => Promise<unknown>;
  /** Whether a present build is up to date; default: the manifest's sources are not newer than it. */
  isCurrent?: (outDir: string) => Promise<boolean>;
}

export const DEFAULT_EMBED_DIST = fileURLToPath(new URL('../../../embed/dist', import.meta.url));

/** A chunk name esbuild writes: no slash, no dot-dot, nothing but a file name ending in `.js`. */
const CHUNK_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*\.js$/;
const JS = 'application/javascript; charset=utf-8';

async function defaultBuild(outDir: string): Promise<unknown> {
  const { buildEmbed } = await import('@inlay/embed/build');
  return buildEmbed({ outDir });
}

async function defaultIsCurrent(outDir: string): Promise<boolean> {
  const { isEmbedBuildCurrent } = await import('@inlay/embed/build');
  return isEmbedBuildCurrent(outDir);
}

export const embedAssetRoutes: FastifyPluginAsync<EmbedAssetsOptions> = async (app, opts) => {
  const files = builtAssets({
    distDir: opts.distDir ?? DEFAULT_EMBED_DIST,
    entry: 'inlay.js',
    kind: 'embed',
    what: 'embed runtime',
    build: opts.build ?? defaultBuild,
    // A caller's own build step decides for itself; the default one knows its sources.
    isCurrent: opts.isCurrent ?? (opts.build ? async () => true : defaultIsCurrent),
    hint: 'Run buildEmbed() from @inlay/embed/build (see packages/embed/README.md).',
  });
  // A module script from another origin is fetched with CORS; the files are public.
  const cors = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' };

  const schema = (summary: string) => ({ tags: ['embed'], summary });
  app.get(
    '/embed/v1/inlay.js',
    {
      config: { auth: 'public' },
      schema: schema('The embed runtime: defines <inlay-dashboard> and <inlay-component> (an ES module)'),
    },
    async (req, reply) =>
      files.send(req, reply, await files.read('inlay.js'), { type: JS, cacheControl: 'no-cache', ...cors }),
  );

  app.get(
    '/embed/v1/chunks/*',
    {
      config: { auth: 'public' },
      schema: schema('A content-hashed part of the runtime (a component, a chart type): immutable'),
    },
    async (req, reply) => {
      const name = (req.params as { '*': string })['*'];
      const shown = `chunks/${name.length > 100 ? `${name.slice(0, 100)}…` : name}`;
      // Only a plain file name.
      if (!CHUNK_NAME.test(name)) throw new InlayError('NOT_FOUND', `no embed file '${shown}'`);
      const asset = await files.read(`chunks/${name}`, shown);
      return files.send(req, reply, asset, { type: JS, cacheControl: IMMUTABLE, ...cors });
    },
  );
};
