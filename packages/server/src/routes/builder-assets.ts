import { fileURLToPath } from 'node:url';
import { InlayError } from '@inlay/core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { builtAssets, IMMUTABLE } from './built-assets.js';

/**
 * The builder web app (`@inlay/builder`), public (the page holds no data; it signs in through
 * `/api/v1/auth/*`): `GET /`, `GET /sign-up`, `GET /dashboards`, `GET /dashboards/*`, `GET /settings`
 * and `GET /settings/*` (its client-side routes) answer its `index.html` (revalidated each time, under a strict CSP),
 * `GET /builder/app.js|app.css` its entry (`no-cache` + ETag) and `GET /builder/chunks/<name>` its
 * content-hashed parts (immutable for a year). Served from a built dist folder, built on the
 * first request when it is missing or older than its sources.
 */
export interface BuilderAssetsOptions {
  /** Default: `packages/builder/dist`. */
  distDir?: string;
  /** Builds `distDir` when it has no `index.html`; default `buildBuilder({outDir})` of `@inlay/builder`. */
  build?: (outDir: string) => Promise<unknown>;
  /** Whether a present build is up to date; default: the manifest's sources are not newer than it. */
  isCurrent?: (outDir: string) => Promise<boolean>;
}

export const DEFAULT_BUILDER_DIST = fileURLToPath(new URL('../../../builder/dist', import.meta.url));

/** The page's own scripts, styles and API only; never framed. */
export const BUILDER_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

/** `app.js`, `app.css`, or a plain file name under `chunks/`: nothing else in the dist folder is served. */
const ASSET_NAME = /^(?:chunks\/)?[A-Za-z0-9_-][A-Za-z0-9._-]*\.(js|css)$/;
const TYPES: Record<string, string> = {
  js: 'application/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

async function defaultBuild(outDir: string): Promise<unknown> {
  const { buildBuilder } = await import('@inlay/builder/build');
  return buildBuilder({ outDir });
}

async function defaultIsCurrent(outDir: string): Promise<boolean> {
  const { isBuilderBuildCurrent } = await import('@inlay/builder/build');
  return isBuilderBuildCurrent(outDir);
}

export const builderAssetRoutes: FastifyPluginAsync<BuilderAssetsOptions> = async (app, opts) => {
  const files = builtAssets({
    distDir: opts.distDir ?? DEFAULT_BUILDER_DIST,
    entry: 'index.html',
    kind: 'builder',
    what: 'builder app',
    build: opts.build ?? defaultBuild,
    // A caller's own build step decides for itself; the default one knows its sources.
    isCurrent: opts.isCurrent ?? (opts.build ? async () => true : defaultIsCurrent),
    hint: 'Run buildBuilder() from @inlay/builder/build (see packages/builder/README.md).',
  });

  async function page(req: FastifyRequest, reply: FastifyReply) {
    return files.send(req, reply, await files.read('index.html'), {
      type: 'text/html; charset=utf-8',
      cacheControl: 'no-cache',
      'content-security-policy': BUILDER_CSP,
      // The sign-up link carries a one-time token in its query: never sent on as a referrer.
      'referrer-policy': 'no-referrer',
    });
  }

  const route = { config: { auth: 'public' as const }, schema: { hide: true } };
  app.get('/', route, page);
  app.get('/sign-up', route, page);
  app.get('/dashboards', route, page);
  app.get('/dashboards/*', route, page);
  // The admin's pages (connections, environments, API keys, users); the API still checks the role.
  app.get('/settings', route, page);
  app.get('/settings/*', route, page);

  app.get('/builder/*', route, async (req, reply) => {
    const name = (req.params as { '*': string })['*'];
    const shown = name.length > 100 ? `${name.slice(0, 100)}…` : name;
    const ext = ASSET_NAME.exec(name)?.[1];
    // Only the entry or a plain chunk name.
    if (!ext) throw new InlayError('NOT_FOUND', `no builder file '${shown}'`);
    const cacheControl = name.startsWith('chunks/') ? IMMUTABLE : 'no-cache';
    return files.send(req, reply, await files.read(name, shown), { type: TYPES[ext]!, cacheControl });
  });
};
