import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { type ComponentMeta, componentMetaSchema, InlayError } from '@inlay/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { COMPONENT_FILES_PREFIX, componentFileUrl } from '../components/served.js';
import { standardMetas } from '../components/standard.js';
import { errorBody } from '../plugins/errors.js';
import type { ComponentsVersion, Store } from '../store/index.js';
import { IMMUTABLE } from './built-assets.js';

export interface ComponentRouteOptions {
  store: Store;
}

const HASH = /^[0-9a-f]{64}$/;
const versionHash = z.string().regex(HASH, 'a components version: 64 hex digits');

const listedComponent = z
  .object({
    name: z.string(),
    label: z.string(),
    description: z.string().optional(),
    category: z.string().optional(),
    inputs: z.array(z.unknown()),
    events: z.array(z.unknown()),
    standard: z.boolean().describe('true: the standard library, always available beside the workspace’s own'),
    version: z
      .string()
      .nullable()
      .describe('The components version it comes from; null for the standard library'),
    url: z.string().optional().describe('Its module (a path on this server), for a workspace component'),
    imports: z.array(z.string()).optional().describe('Files it imports, fetched with it'),
    meta: componentMetaSchema.describe('The whole meta, as the builder reads it'),
  })
  .meta({ id: 'ListedComponent' });

const componentsList = z
  .object({
    version: z.string().nullable().describe('The components version listed; null before the first push'),
    current: z.boolean().describe('Whether it is the version the workspace serves now'),
    createdAt: z.string().nullable(),
    description: z.string().nullable(),
    react: z.enum(['compat', 'react']),
    components: z.array(listedComponent),
    versions: z
      .array(z.object({ version: z.string(), createdAt: z.string(), description: z.string().nullable() }))
      .describe('Every components version of the workspace, newest first'),
  })
  .meta({ id: 'ComponentsList' });

const TYPES: Record<string, string> = {
  js: 'application/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};
const FILE = /^(?:components|chunks)\/[A-Za-z0-9._-]+\.(js|css)$/;

interface Encoded {
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
}

/**
 * `GET /api/v1/components` (API key or builder session, viewer): the workspace's current
 * components version (or `?version=`) with each component, plus the standard library's. And the
 * files, public like the runtime's own (they are code, never data), under the version's hash:
 * `GET /embed/v1/c/<version>/<path>`, immutable, gzip or brotli.
 */
export const componentRoutes: FastifyPluginAsyncZod<ComponentRouteOptions> = async (app, { store }) => {
  app.get(
    '/api/v1/components',
    {
      config: { auth: 'apiKey', role: 'viewer' },
      schema: {
        tags: ['components'],
        security: [{ apiKey: [] }, { session: [] }],
        summary: "The workspace's components (current version, or ?version=) and the standard library's",
        querystring: z.object({ version: versionHash.optional() }),
        response: { 200: componentsList, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      const ws = req.caller!.workspaceId;
      const current = await store.components.current(ws);
      const wanted = req.query.version ?? current;
      const found = wanted ? await store.components.find(ws, wanted) : undefined;
      if (wanted && !found) {
        throw new InlayError('NOT_FOUND', `no components version '${wanted}' in this workspace`, {
          hint: 'GET /api/v1/components lists its versions.',
        });
      }
      const [standard, versions] = await Promise.all([standardMetas(), store.components.list(ws)]);
      const own = (found?.manifest.components ?? []).map((c) => ({
        ...summary(c.meta),
        standard: false,
        version: found!.version,
        url: componentFileUrl(found!.version, c.file),
        imports: c.imports.map((f) => componentFileUrl(found!.version, f)),
      }));
      return {
        version: found?.version ?? null,
        current: found !== undefined && found.version === current,
        createdAt: found?.createdAt ?? null,
        description: found?.description ?? null,
        react: found?.manifest.react ?? 'compat',
        components: [
          ...own,
          ...standard.map((meta) => ({ ...summary(meta), standard: true, version: null })),
        ],
        versions: versions.map(({ version, createdAt, description }) => ({
          version,
          createdAt,
          description,
        })),
      };
    },
  );

  // Encoded once per file: a version's files never change. Bounded by bytes, not count.
  const encoded = new LRUCache<string, Encoded>({
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (e) => e.body.length + e.gzip.length + e.br.length,
  });
  const cors = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' };
  const missing = (what: string) => new InlayError('NOT_FOUND', `no component file '${what}'`);
  // A version never changes once stored; unknown ones are not remembered (a push may add them).
  const versions = new LRUCache<string, ComponentsVersion>({ max: 200 });
  const versionOf = async (version: string) => {
    let found = versions.get(version);
    if (!found) {
      found = await store.components.findAnywhere(version);
      if (found) versions.set(version, found);
    }
    return found;
  };

  app.get(
    `${COMPONENT_FILES_PREFIX}/:version/*`,
    {
      config: { auth: 'public' },
      schema: {
        tags: ['embed'],
        summary: "A file of a workspace's components version (a module, a chunk, CSS): immutable",
        params: z.object({ version: z.string(), '*': z.string() }),
      },
    },
    async (req, reply) => {
      const { version, '*': path } = req.params;
      const shown = `${version.slice(0, 64)}/${path.slice(0, 100)}`;
      const type = FILE.exec(path)?.[1];
      if (!HASH.test(version) || !type) throw missing(shown);
      const found = await versionOf(version);
      const entry = found?.manifest.files[path];
      if (!found || !entry) throw missing(shown);
      let asset = encoded.get(entry.sha256);
      if (!asset) {
        const text = await store.components.file(found.workspaceId, entry.sha256);
        if (text === undefined) throw missing(shown);
        const body = Buffer.from(text, 'utf8');
        asset = {
          body,
          gzip: gzipSync(body, { level: 9 }),
          br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
          etag: `"${entry.sha256}"`,
        };
        encoded.set(entry.sha256, asset);
      }
      reply
        .headers(cors)
        .header('content-type', TYPES[type]!)
        .header('cache-control', IMMUTABLE)
        .header('etag', asset.etag)
        .header('x-content-type-options', 'nosniff')
        .header('vary', 'Accept-Encoding');
      if (req.headers['if-none-match'] === asset.etag) return reply.code(304).send();
      const accepts = String(req.headers['accept-encoding'] ?? '');
      if (/\bbr\b/.test(accepts)) return reply.header('content-encoding', 'br').send(asset.br);
      if (/\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
      return reply.send(asset.body);
    },
  );
};

type Meta = z.output<typeof componentMetaSchema>;

/** The fields a list shows, and the whole meta for the builder (a standard one is a `ComponentMeta`). */
function summary(given: Meta | ComponentMeta) {
  // The same object either way; only `ComponentMeta`'s readonly arrays differ from the schema's.
  const meta = given as Meta;
  return {
    name: meta.name,
    label: meta.label,
    ...(meta.description !== undefined ? { description: meta.description } : {}),
    ...(meta.category !== undefined ? { category: meta.category } : {}),
    inputs: meta.inputs,
    events: meta.events ?? [],
    meta,
  };
}
