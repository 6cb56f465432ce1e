import { type DashboardDocument, dashboardDocumentSchema, dashboardSchema, InlayError } from '@inlay/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { stringify } from 'yaml';
import { z } from 'zod';
import { assertDrilldowns } from '../dashboards/drilldowns.js';
import { type StoreDashboardSource, storedDefinition } from '../dashboards/index.js';
import { errorBody } from '../plugins/errors.js';
import {
  DASHBOARD_TAGS,
  type Dashboard,
  type DashboardVersion,
  type DashboardVersionInfo,
  type Store,
} from '../store/index.js';

export interface BuilderDashboardOptions {
  store: Store;
  /** Told when a tag moves or a dashboard goes, so this replica's next token sees it at once. */
  dashboards: StoreDashboardSource;
}

/**
 * The builder's own dashboard API (session or API key): create, open, autosave the draft,
 * duplicate, delete, save a version `vN` with a description (pinning the models version it was
 * built on), move a publish tag (publish, roll back), read a version, download the
 * `*.embeddable.yml`. Viewers read; editors change. Dashboards from code are read-only here.
 */
const slug = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,99}$/,
    'lower-case letters, digits, - and _, starting with a letter or digit',
  );
const tagName = z.enum(DASHBOARD_TAGS);
const versionRef = z.string().regex(/^v[1-9]\d{0,8}$/, 'a saved version: v1, v2, …');

/** A saved version as the embeddables and builder routes answer it (`vN`, pins, tags). */
export const versionSummary = (v: DashboardVersionInfo) => ({
  version: `v${v.version}`,
  createdAt: v.createdAt,
  description: v.description,
  modelVersion: v.modelVersion,
  componentsVersion: v.componentsVersion,
  tags: v.tags,
});

export const dashboardSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    title: z.string().nullable(),
    source: z.enum(['code', 'builder']).describe('code: a project file or a push (read-only here)'),
    latestVersion: z.string().nullable().describe('`vN`, or null before the first save'),
    tags: z.partialRecord(tagName, z.string()),
    draftUpdatedAt: z.string().nullable().describe('Send it back as baseUpdatedAt with the next autosave.'),
  })
  .meta({ id: 'BuilderDashboard' });
const opened = dashboardSummary
  .extend({
    document: dashboardDocumentSchema.omit({ version: true }).describe('The draft, else the latest version'),
    documentFrom: z.string().describe('`draft` or the version it was read from'),
  })
  .meta({ id: 'BuilderDashboardOpened' });
const savedVersion = z
  .object({
    version: z.string(),
    createdAt: z.string(),
    description: z.string().nullable(),
    modelVersion: z.string().nullable(),
    componentsVersion: z.string().nullable().describe('The components version it pins (its widgets’ code)'),
    tags: z.array(tagName),
    document: dashboardDocumentSchema.omit({ version: true }),
  })
  .meta({ id: 'BuilderSavedVersion' });

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const common = {
  tags: ['builder'],
  security: [{ apiKey: [] }, { session: [] }] as Record<string, string[]>[],
};
const byId = z.object({ id: z.string().min(1).max(200) });
const viewer = { auth: 'apiKey' as const, role: 'viewer' as const };
const editor = { auth: 'apiKey' as const, role: 'editor' as const };

export const summaryOf = (d: Dashboard) => ({
  id: d.id,
  name: d.name,
  title: d.title,
  source: d.source,
  latestVersion: d.latestVersion > 0 ? `v${d.latestVersion}` : null,
  tags: Object.fromEntries(Object.entries(d.tags).map(([tag, n]) => [tag, `v${n}`])),
  draftUpdatedAt: d.draftUpdatedAt,
});

/** A document as the builder sent it, checked like a `*.embeddable.yml` entry (paths in errors). */
function parseDocument(input: unknown, name: string): Omit<DashboardDocument, 'version'> {
  const parsed = dashboardSchema.safeParse({ ...(input as object), name });
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `document.${i.path.join('.')}: ${i.message}`);
    throw new InlayError('QUERY_INVALID', issues.join('; '), {
      hint: 'The document has the *.embeddable.yml shape: variables, datasets, widgets (see the API reference).',
    });
  }
  return storedDefinition(parsed.data);
}

const emptyDocument = (name: string, title?: string) => ({
  id: name,
  name,
  ...(title ? { title } : {}),
  variables: [],
  datasets: [],
  widgets: [],
});

export const builderDashboardRoutes: FastifyPluginAsyncZod<BuilderDashboardOptions> = async (
  app,
  { store, dashboards },
) => {
  /** The draft when there is one, else the latest saved version. */
  async function current(ws: string, id: string) {
    const draft = await store.dashboards.draft(ws, id);
    if (draft) return { document: draft.definition, from: 'draft' };
    const latest = await store.dashboards.version(ws, id, 'latest');
    return { document: latest.definition, from: `v${latest.version}` };
  }
  const versionOut = (v: DashboardVersion) => ({
    ...versionSummary(v),
    document: v.definition as Omit<DashboardDocument, 'version'>,
  });

  app.post(
    '/api/v1/embeddables',
    {
      config: editor,
      schema: {
        ...common,
        summary: 'Create a dashboard in the builder (an empty draft, no version yet)',
        body: z.strictObject({ name: slug, title: z.string().min(1).max(200).optional() }),
        response: { 201: dashboardSummary, ...errors },
      },
    },
    async (req, reply) => {
      const d = await store.dashboards.create(
        req.caller!.workspaceId,
        req.body.name,
        emptyDocument(req.body.name, req.body.title),
      );
      return reply.code(201).send(summaryOf(d));
    },
  );

  app.get(
    '/api/v1/embeddables/:id',
    {
      config: viewer,
      schema: {
        ...common,
        summary: 'Open a dashboard: its draft (else its latest version), tags and versions',
        params: byId,
        response: { 200: opened, ...errors },
      },
    },
    async (req) => {
      const ws = req.caller!.workspaceId;
      const d = await store.dashboards.get(ws, req.params.id);
      const { document, from } = await current(ws, d.id);
      return {
        ...summaryOf(d),
        document: document as Omit<DashboardDocument, 'version'>,
        documentFrom: from,
      };
    },
  );

  app.put(
    '/api/v1/embeddables/:id/draft',
    {
      config: editor,
      schema: {
        ...common,
        summary: 'Autosave the draft; 409 when another editor saved since baseUpdatedAt',
        params: byId,
        body: z.strictObject({
          document: z
            .record(z.string(), z.unknown())
            .describe('The *.embeddable.yml shape; its name is the dashboard’s'),
          baseUpdatedAt: z.string().nullable().optional().describe('draftUpdatedAt this editor started from'),
        }),
        response: { 200: z.object({ draftUpdatedAt: z.string() }), ...errors },
      },
    },
    async (req) => {
      const ws = req.caller!.workspaceId;
      const d = await store.dashboards.get(ws, req.params.id);
      const document = parseDocument(req.body.document, d.name);
      const saved = await store.dashboards.setDraft(ws, d.id, document, req.body.baseUpdatedAt);
      return { draftUpdatedAt: saved.updatedAt };
    },
  );

  app.post(
    '/api/v1/embeddables/:id/duplicate',
    {
      config: editor,
      schema: {
        ...common,
        summary: 'Copy a dashboard (its draft, else its latest version) into a new builder dashboard',
        params: byId,
        body: z.strictObject({ name: slug, title: z.string().min(1).max(200).optional() }),
        response: { 201: dashboardSummary, ...errors },
      },
    },
    async (req, reply) => {
      const ws = req.caller!.workspaceId;
      const { document } = await current(ws, req.params.id);
      const { name, title } = req.body;
      const copy = { ...(document as object), id: name, name, ...(title ? { title } : {}) };
      return reply.code(201).send(summaryOf(await store.dashboards.create(ws, name, copy)));
    },
  );

  app.delete(
    '/api/v1/embeddables/:id',
    {
      config: editor,
      schema: {
        ...common,
        summary: 'Delete a builder dashboard with its versions (tokens for it stop working)',
        params: byId,
        response: { 204: z.null().describe('Deleted'), ...errors },
      },
    },
    async (req, reply) => {
      await store.dashboards.remove(req.caller!.workspaceId, req.params.id);
      dashboards.invalidate(req.caller!.workspaceId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/embeddables/:id/saved-versions',
    {
      config: editor,
      schema: {
        ...common,
        summary:
          'Save the draft as the next version vN, pinning the models and components versions it was built on',
        params: byId,
        body: z.strictObject({ description: z.string().max(2000).optional() }),
        response: { 201: savedVersion, ...errors },
      },
    },
    async (req, reply) => {
      const ws = req.caller!.workspaceId;
      const d = await store.dashboards.get(ws, req.params.id);
      if (d.source === 'code') {
        throw new InlayError(
          'CONFLICT',
          `dashboard '${d.name}' comes from code: its file is what gets saved`,
          {
            hint: 'Duplicate it to save versions of a copy in the builder.',
          },
        );
      }
      const draft = await store.dashboards.draft(ws, d.id);
      if (!draft) throw new InlayError('CONFLICT', `dashboard '${d.name}' has no draft to save`);
      // A link to a dashboard that does not exist is refused here, not in a customer's browser.
      await assertDrilldowns(store, ws, draft.definition);
      const modelVersion = (await store.workspaces.currentModelVersion(ws)) ?? null;
      // What the builder previewed it with: a later push changes nothing for this version.
      const componentsVersion = await store.components.current(ws);
      const v = await store.dashboards.save(
        ws,
        d.name,
        draft.definition,
        modelVersion,
        req.body.description ?? null,
        componentsVersion,
      );
      return reply.code(201).send(versionOut(v));
    },
  );

  app.get(
    '/api/v1/embeddables/:id/saved-versions/:version',
    {
      config: viewer,
      schema: {
        ...common,
        summary: 'One saved version with its document (to compare two, or to restore one)',
        params: byId.extend({ version: versionRef }),
        response: { 200: savedVersion, ...errors },
      },
    },
    async (req) =>
      versionOut(
        await store.dashboards.version(
          req.caller!.workspaceId,
          req.params.id,
          req.params.version as `v${number}`,
        ),
      ),
  );

  app.put(
    '/api/v1/embeddables/:id/tags/:tag',
    {
      config: editor,
      schema: {
        ...common,
        summary:
          'Publish: point a tag (production, staging, development) at a saved version; roll back the same way',
        params: byId.extend({ tag: tagName }),
        body: z.strictObject({ version: versionRef }),
        response: { 200: dashboardSummary, ...errors },
      },
    },
    async (req) => {
      const ws = req.caller!.workspaceId;
      const d = await store.dashboards.get(ws, req.params.id);
      if (d.source === 'code') {
        throw new InlayError(
          'CONFLICT',
          `dashboard '${d.name}' comes from code: a start or a push publishes it`,
        );
      }
      const version = await store.dashboards.version(ws, d.id, req.body.version as `v${number}`);
      // A production token opens drill-down targets at production: they must be published there.
      await assertDrilldowns(store, ws, version.definition, req.params.tag);
      await store.dashboards.tag(ws, d.id, req.params.tag, version.version);
      dashboards.invalidate(ws);
      return summaryOf(await store.dashboards.get(ws, d.id));
    },
  );

  app.get(
    '/api/v1/embeddables/:id/download',
    {
      config: viewer,
      schema: {
        ...common,
        summary: 'The dashboard as a *.embeddable.yml file (the draft, or ?version=vN)',
        params: byId,
        querystring: z.object({ version: versionRef.optional() }),
        produces: ['application/yaml'],
        response: { 200: z.string(), ...errors },
      },
    },
    async (req, reply) => {
      const ws = req.caller!.workspaceId;
      const d = await store.dashboards.get(ws, req.params.id);
      const document = req.query.version
        ? (await store.dashboards.version(ws, d.id, req.query.version as `v${number}`)).definition
        : (await current(ws, d.id)).document;
      return reply
        .type('application/yaml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${d.name}.embeddable.yml"`)
        .send(stringify({ embeddables: [document] }));
    },
  );
};
