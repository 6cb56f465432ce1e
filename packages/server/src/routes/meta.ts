import type { CubeDef, SemanticModel, ViewDef } from '@inlay/engine';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DashboardSource } from '../dashboards/index.js';
import { errorBody } from '../plugins/errors.js';
import { drillDashboard, drillPath } from '../tokens/index.js';
import type { WorkspaceResolver } from '../workspaces/index.js';

const member = z.object({
  name: z.string().describe('cube.member'),
  title: z.string(),
  shortTitle: z.string(),
  type: z.string(),
  /** For measures: how it aggregates (`count`, `sum`, …); `type` is then the value's type, as in Cube. */
  aggType: z.string().optional(),
  description: z.string().optional(),
  format: z.string().optional(),
});
type Member = z.output<typeof member>;

const cube = z.object({
  name: z.string(),
  title: z.string(),
  type: z.enum(['cube', 'view']),
  description: z.string().optional(),
  measures: z.array(member),
  dimensions: z.array(member),
  segments: z.array(member),
});
type CubeMeta = z.output<typeof cube>;

export const metaResponse = z.object({ cubes: z.array(cube) }).meta({ id: 'MetaResponse' });

interface Describable {
  name: string;
  title: string;
  shortTitle: string;
  description?: string;
  format?: string;
  public: boolean;
  type?: string;
}

const NUMERIC_AGG = new Set(['count', 'count_distinct', 'count_distinct_approx', 'sum', 'avg', 'min', 'max']);

function memberMeta(owner: string, m: Describable, type: string, kind?: string): Member {
  const agg = kind === 'measure' && NUMERIC_AGG.has(type) ? type : undefined;
  return {
    name: `${owner}.${m.name}`,
    title: m.title,
    shortTitle: m.shortTitle,
    type: agg ? 'number' : type,
    ...(agg ? { aggType: agg } : {}),
    ...(m.description ? { description: m.description } : {}),
    ...(m.format ? { format: m.format } : {}),
  };
}

function publicMembers<T extends Describable & { kind: string }>(
  owner: string,
  members: Map<string, T>,
  type?: string,
): Member[] {
  return [...members.values()]
    .filter((m) => m.public)
    .map((m) => memberMeta(owner, m, type ?? m.type ?? 'string', m.kind));
}

function cubeMeta(c: CubeDef): CubeMeta {
  return {
    name: c.name,
    title: c.title,
    type: 'cube',
    ...(c.description ? { description: c.description } : {}),
    measures: publicMembers(c.name, c.measures),
    dimensions: publicMembers(c.name, c.dimensions),
    segments: publicMembers(c.name, c.segments, 'segment'),
  };
}

/** A view's members take their type, and their title unless the view renames it, from the cube member. */
function viewMeta(model: SemanticModel, v: ViewDef): CubeMeta {
  const out: CubeMeta = {
    name: v.name,
    title: v.title,
    type: 'view',
    measures: [],
    dimensions: [],
    segments: [],
  };
  if (v.description) out.description = v.description;
  for (const vm of v.members.values()) {
    const c = model.cubes.get(vm.cube);
    const source =
      vm.kind === 'measure'
        ? c?.measures.get(vm.member)
        : vm.kind === 'dimension'
          ? c?.dimensions.get(vm.member)
          : c?.segments.get(vm.member);
    if (!source?.public) continue;
    const described = {
      ...source,
      name: vm.name,
      title: vm.title ?? source.title,
      description: vm.description ?? source.description,
      format: vm.format ?? source.format,
    };
    const type = vm.kind === 'segment' ? 'segment' : 'type' in source ? source.type : 'string';
    out[`${vm.kind}s`].push(memberMeta(v.name, described, type, vm.kind));
  }
  return out;
}

/** Cube's `/meta` shape: what a builder or a developer may pick from. Hidden cubes and members are left out. */
export function describeModel(model: SemanticModel): z.output<typeof metaResponse> {
  return {
    cubes: [
      ...[...model.cubes.values()].filter((c) => c.public).map(cubeMeta),
      ...[...model.views.values()].filter((v) => v.public).map((v) => viewMeta(model, v)),
    ],
  };
}

export interface MetaRouteOptions {
  workspaces: WorkspaceResolver;
  /** The dashboards security tokens are scoped to. */
  dashboards: DashboardSource;
}

export const metaRoutes: FastifyPluginAsyncZod<MetaRouteOptions> = async (
  app,
  { workspaces, dashboards },
) => {
  app.get(
    '/api/v1/meta',
    {
      config: { auth: 'apiKeyOrToken', role: 'viewer' },
      schema: {
        tags: ['data'],
        security: [{ apiKey: [] }, { securityToken: [] }],
        summary: "Cubes and views with their public members; with a token, only its dashboard's",
        response: { 200: metaResponse, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      const workspace = await workspaces.of(req);
      if (req.caller?.kind !== 'token') return describeModel(await workspace.getModel());
      // Inside a drill-down modal: the linked dashboard's cubes (the link is checked there).
      const { models, modelVersion } = await drillDashboard(req.caller.claims, drillPath(req), dashboards);
      const meta = describeModel(await workspace.getModel(modelVersion));
      return { cubes: meta.cubes.filter((c) => models.has(c.name)) };
    },
  );
};
