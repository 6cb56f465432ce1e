import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody } from '../plugins/errors.js';
import { DASHBOARD_TAGS, type Store } from '../store/index.js';
import { dashboardSummary, summaryOf, versionSummary } from './builder-dashboards.js';

export interface EmbeddableRouteOptions {
  store: Store;
}

const tagName = z.enum(DASHBOARD_TAGS);

const embeddablesResponse = z.object({ embeddables: z.array(dashboardSummary) }).meta({ id: 'Embeddables' });

const versionsResponse = z
  .object({
    versions: z.array(
      z.object({
        version: z.string().describe('`vN`'),
        createdAt: z.string(),
        description: z.string().nullable().describe('What the person who saved it said it changes.'),
        modelVersion: z.string().nullable().describe('The models version it pins.'),
        componentsVersion: z.string().nullable().describe('The components version it pins.'),
        tags: z.array(tagName),
      }),
    ),
  })
  .meta({ id: 'SavedVersions' });

const common = { tags: ['embeddables'], security: [{ apiKey: [] }] };

/** Dashboards of the caller's workspace and their saved versions (Embeddable's shapes). */
export const embeddableRoutes: FastifyPluginAsyncZod<EmbeddableRouteOptions> = async (app, { store }) => {
  app.get(
    '/api/v1/embeddables',
    {
      config: { auth: 'apiKey', role: 'viewer' },
      schema: {
        ...common,
        summary: 'Dashboards with their publish tags; ?search= matches name or title',
        querystring: z.object({ search: z.string().max(200).optional() }),
        response: { 200: embeddablesResponse, 401: errorBody },
      },
    },
    async (req) => {
      const list = await store.dashboards.list(req.caller!.workspaceId);
      const words = (req.query.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const hit = (text: string) => words.every((w) => text.includes(w));
      return {
        embeddables: list.filter((d) => hit(`${d.name} ${d.title ?? ''}`.toLowerCase())).map(summaryOf),
      };
    },
  );

  app.get(
    '/api/v1/embeddables/:id/saved-versions',
    {
      config: { auth: 'apiKey', role: 'viewer' },
      schema: {
        ...common,
        summary: 'Saved versions of a dashboard (by id or name), oldest first',
        params: z.object({ id: z.string().min(1).max(200) }),
        response: { 200: versionsResponse, 401: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      const versions = await store.dashboards.versions(req.caller!.workspaceId, req.params.id);
      return {
        versions: versions.map(versionSummary),
      };
    },
  );
};
