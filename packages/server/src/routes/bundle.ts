import multipart from '@fastify/multipart';
import { documentMembers, InlayError, isInlayError, type Presets } from '@inlay/core';
import { compileModel, ModelErrors, type SemanticModel } from '@inlay/engine';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { standardNames } from '../components/standard.js';
import {
  type ComponentLimits,
  DEFAULT_COMPONENT_LIMITS,
  type VerifiedComponents,
  verifyComponents,
} from '../components/verify.js';
import {
  type DashboardEntry,
  parseDashboardFiles,
  publishDashboards,
  type StoreDashboardSource,
} from '../dashboards/index.js';
import { errorBody } from '../plugins/errors.js';
import { parsePresetFiles } from '../presets/parse.js';
import type { Store } from '../store/index.js';
import type { WorkspaceResolver } from '../workspaces/index.js';

export interface BundleRouteOptions {
  store: Store;
  workspaces: WorkspaceResolver;
  dashboards: StoreDashboardSource;
  /** Largest archive taken (413 above). */
  maxBundleBytes: number;
  /** Per-file and total sizes of a components build; `DEFAULT_COMPONENT_LIMITS` when absent. */
  componentLimits?: ComponentLimits;
}

export const bundleRequestSchema = z.strictObject({
  pushModels: z.boolean().default(true),
  pushComponents: z
    .boolean()
    .default(true)
    .describe('Store the `.inlay-build/` components build the archive carries (false: ignore it).'),
  description: z.string().max(1000).optional(),
});

const uploadResponse = z
  .object({
    modelVersion: z.string().nullable().describe('The models version now served (content hash).'),
    created: z.boolean().describe('False when identical models were already stored.'),
    dashboards: z.array(z.object({ name: z.string(), version: z.string() })),
    componentsVersion: z
      .string()
      .nullable()
      .describe('The components version now served (content hash of the manifest); null before any.'),
    componentsCreated: z.boolean().describe('False when this exact components build was already stored.'),
  })
  .meta({ id: 'BundleUpload' });

const invalidBundle = errorBody
  .extend({ errors: z.array(errorBody).optional().describe('Every problem, each with its file and line.') })
  .meta({ id: 'BundleInvalid' });

const bad = (message: string) => new InlayError('QUERY_INVALID', message);

/** Every engine problem, so one push reports all of them with their file and line. */
function problems(e: InlayError) {
  const list = e instanceof ModelErrors ? e.errors : [e];
  return list.map((x) => {
    const { where, ...rest } = x.toJSON();
    return { ...rest, ...(where ? { where: { ...where } } : {}) };
  });
}

/** A dashboard reading a cube, view or member the new models lack would fail every viewer. */
function checkDatasets(model: SemanticModel, dashboards: DashboardEntry[]): void {
  for (const d of dashboards) {
    for (const m of d.models) {
      if (!model.cubes.has(m) && !model.views.has(m)) {
        throw new InlayError(
          'MODEL_INVALID',
          `dashboard '${d.name}' reads '${m}', which the models do not define.`,
          {
            where: { file: d.file },
          },
        );
      }
    }
    for (const { member, path } of documentMembers(d.definition)) {
      if (!hasMember(model, member)) {
        throw new InlayError(
          'MODEL_INVALID',
          `dashboard '${d.name}' uses '${member}', which the models do not define.`,
          {
            where: { file: d.file, path: path.join('.') },
            hint: 'Rename it to a member of the pushed models, or push models that define it.',
          },
        );
      }
    }
  }
}

function hasMember(model: SemanticModel, name: string): boolean {
  const [owner = '', member = ''] = name.split('.');
  const cube = model.cubes.get(owner);
  if (cube) return cube.measures.has(member) || cube.dimensions.has(member) || cube.segments.has(member);
  return model.views.get(owner)?.members.has(member) ?? false;
}

/**
 * `POST /api/v1/bundle/upload`, what `npx inlay push` sends: multipart `file` (a `.tar.gz` or
 * `.zip` with `models/**\/*.cube.yml`, optional `*.embeddable.yml` and `presets/`, and the
 * optional components build `.inlay-build/`) and `request` (JSON). Models are compiled and the
 * components build checked file by file before anything is stored; a valid push is one
 * transaction: the immutable model and components versions, the workspace's served ones, and
 * dashboard versions pinning them.
 */
export const bundleRoutes: FastifyPluginAsyncZod<BundleRouteOptions> = async (app, opts) => {
  await app.register(multipart, {
    limits: { fileSize: opts.maxBundleBytes, files: 1, fields: 5, fieldSize: 64 * 1024, parts: 10 },
  });

  app.post(
    '/api/v1/bundle/upload',
    {
      config: { auth: 'apiKey' },
      bodyLimit: opts.maxBundleBytes + 128 * 1024,
      schema: {
        tags: ['models'],
        security: [{ apiKey: [] }],
        summary: 'Push models (and dashboards as code) as a new immutable version',
        consumes: ['multipart/form-data'],
        response: {
          200: uploadResponse,
          400: errorBody,
          401: errorBody,
          413: errorBody,
          422: invalidBundle,
        },
      },
    },
    async (req, reply) => {
      const ws = req.caller!.workspaceId;
      let file: Buffer | undefined;
      // A `request` part sent as application/json arrives parsed; as text it is parsed here.
      let requestField: unknown;
      try {
        for await (const part of req.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file')
              throw bad(`unexpected file field '${part.fieldname}' (send it as 'file')`);
            file = await part.toBuffer();
          } else if (part.fieldname === 'request') {
            requestField = part.value;
          }
        }
      } catch (e) {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw Object.assign(
            new Error(`the bundle is larger than the limit of ${opts.maxBundleBytes} bytes`),
            {
              statusCode: 413,
              code: 'FST_REQ_FILE_TOO_LARGE',
            },
          );
        }
        throw e;
      }
      if (!file) throw bad("send the bundle archive as the multipart field 'file'");
      let json: unknown = requestField ?? {};
      if (typeof requestField === 'string') {
        try {
          json = JSON.parse(requestField);
        } catch {
          throw bad("the 'request' field must be JSON");
        }
      }
      const parsed = bundleRequestSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw bad(`request.${issue.path.join('.')}: ${issue.message}`);
      }
      const request = parsed.data;
      // tar-stream loads with the first push, not with every start.
      const { readBundle } = await import('../bundle/archive.js');
      const bundle = await readBundle(file);

      // Validate everything before writing anything.
      let dashboards: DashboardEntry[];
      let model: SemanticModel | undefined;
      let presets: Presets | undefined;
      const build = bundle.components;
      const hasBuild = build.manifest !== undefined || Object.keys(build.files).length > 0;
      // A 400 naming the file at fault; checked before the models so nothing is compiled for nothing.
      const components: VerifiedComponents | undefined =
        request.pushComponents && hasBuild
          ? verifyComponents(build, await standardNames(), opts.componentLimits ?? DEFAULT_COMPONENT_LIMITS)
          : undefined;
      try {
        dashboards = parseDashboardFiles(bundle.dashboards);
        if (bundle.presets.length > 0) presets = parsePresetFiles(bundle.presets);
        if (request.pushModels) {
          const paths = Object.keys(bundle.models);
          if (paths.length === 0) throw bad('the bundle holds no models/**/*.cube.yml');
          model = compileModel(paths.map((path) => ({ path, content: bundle.models[path]! })));
          checkDatasets(model, dashboards);
        }
      } catch (e) {
        if (!isInlayError(e) || e.code !== 'MODEL_INVALID') throw e;
        req.log.info({ problems: problems(e).length }, 'bundle refused');
        return reply.code(422).send({ errorMessage: e.describe(), code: e.code, errors: problems(e) });
      }

      const workspace = await opts.workspaces.get(ws);
      const out = await opts.store.transaction(async (tx) => {
        let modelVersion = (await tx.workspaces.currentModelVersion(ws)) ?? null;
        let created = false;
        if (model) {
          const put = await tx.modelVersions.put(ws, bundle.models, request.description ?? null);
          await tx.workspaces.setModelVersion(ws, put.version);
          modelVersion = put.version;
          created = put.created;
        }
        if (presets) await tx.workspaces.setPresets(ws, presets);
        let componentsVersion = await tx.components.current(ws);
        let componentsCreated = false;
        if (components) {
          const put = await tx.components.put(
            ws,
            components.manifest,
            components.bodies,
            request.description ?? null,
          );
          await tx.components.setCurrent(ws, put.version);
          componentsVersion = put.version;
          componentsCreated = put.created;
        }
        const published = await publishDashboards(
          tx,
          ws,
          modelVersion,
          dashboards.map((d) => d.definition),
          componentsVersion,
        );
        return {
          modelVersion,
          created,
          dashboards: published.map(({ name, version }) => ({ name, version })),
          componentsVersion,
          componentsCreated,
        };
      });
      // Committed: queries without a pinned dashboard switch now; tokens keep their pinned version.
      if (out.modelVersion) await workspace.useModelVersion?.(out.modelVersion);
      opts.dashboards.invalidate(ws);
      req.log.info(
        {
          modelVersion: out.modelVersion,
          created: out.created,
          componentsVersion: out.componentsVersion,
          dashboards: out.dashboards.length,
        },
        'bundle pushed',
      );
      return out;
    },
  );
};
