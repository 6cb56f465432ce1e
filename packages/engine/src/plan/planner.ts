import {
  type Filter,
  filterListSchema,
  filterSchema,
  GRANULARITIES,
  InlayError,
  isValidatedQuery,
  type Query,
  type QueryInput,
  querySchema,
  type SecurityOptions,
  type StandardGranularity,
} from '@inlay/core';
import { z } from 'zod';
import type {
  CubeDef,
  DimensionDef,
  MeasureDef,
  SegmentDef,
  SemanticModel,
  ViewDef,
} from '../graph/types.js';
import type { Dialect } from '../sql/dialect.js';
import type { Clock } from '../time/clock.js';
import { isValidZone } from '../time/date-range.js';
import type { CompileContext, PlanScope } from './context.js';
import { filterMembers } from './filter-members.js';
import { buildJoinTree, type JoinTree } from './join-tree.js';
import { cubesReadBy } from './members.js';
import { applyPolicy } from './policies.js';
import { type MemberKind, preview, type ResolvedMember, resolveMember } from './resolve.js';

export interface LimitOptions {
  defaultLimit: number;
  maxLimit: number;
}

export interface PlannedTimeDimension {
  member: ResolvedMember<DimensionDef>;
  granularity?:
    | { standard: StandardGranularity }
    | { custom: NonNullable<ReturnType<DimensionDef['granularities']['get']>> };
  granularityName?: string;
  dateRange?: string | string[];
  index: number;
}

/** A query with every member resolved, every policy applied and its join tree chosen. */
export interface Plan {
  query: Query;
  ctx: CompileContext;
  measures: ResolvedMember<MeasureDef>[];
  dimensions: ResolvedMember<DimensionDef>[];
  timeDimensions: PlannedTimeDimension[];
  segments: ResolvedMember<SegmentDef>[];
  /** Filters from the query. */
  filters: Filter[];
  /** Filters the caller cannot remove: token filters and access-policy row filters. */
  systemFilters: Filter[];
  /** Every member name a filter uses, resolved. */
  filterMembers: Map<string, ResolvedMember>;
  tree: JoinTree;
  /** The `data_source` every cube of the tree shares: the database the query runs on. */
  dataSource: string;
  limit: number;
  offset: number;
  order: { name: string; desc: boolean }[];
}

function invalid(message: string, path?: string, hint?: string): InlayError {
  return new InlayError('QUERY_INVALID', message, {
    ...(path ? { where: { path } } : {}),
    ...(hint ? { hint } : {}),
  });
}

export function parseQuery(input: QueryInput | unknown): Query {
  // A route validated it already, with this same schema, and it is frozen since.
  if (isValidatedQuery(input)) return input;
  const parsed = querySchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`))
    .join('');
  const detail =
    issue.code === 'unrecognized_keys' ? `unknown key '${issue.keys.join("', '")}'` : issue.message;
  throw invalid(`invalid query${path ? ` at ${path}` : ''}: ${detail}.`, path || undefined);
}

/** The dialect of the database a data source is on (a query's cubes all share one). */
export type DialectOf = (dataSource: string) => Dialect;

export function plan(
  model: SemanticModel,
  input: QueryInput | unknown,
  dialect: Dialect | DialectOf,
  security: SecurityOptions,
  clock: Clock,
  limits: LimitOptions,
): Plan {
  const query = parseQuery(input);
  const timezone = query.timezone ?? 'UTC';
  if (!isValidZone(timezone))
    throw invalid(
      `unknown time zone '${timezone}'.`,
      'timezone',
      'Use an IANA name such as "Europe/Berlin".',
    );
  const claims = checkSecurity(security);
  const roles = claims.roles.length ? claims.roles : ['default'];
  const scope: PlanScope = {
    model,
    securityContext: claims.securityContext,
    roles,
    timezone,
    clock,
  };

  const resolve = <D>(name: string, kinds: MemberKind[], path: string) =>
    resolveMember(model, name, kinds, path) as ResolvedMember<D>;
  const measures = query.measures.map((m, i) => resolve<MeasureDef>(m, ['measure'], `measures[${i}]`));
  const dimensions = query.dimensions.map((d, i) =>
    resolve<DimensionDef>(d, ['dimension'], `dimensions[${i}]`),
  );
  const segments = query.segments.map((s, i) => resolve<SegmentDef>(s, ['segment'], `segments[${i}]`));
  const timeDimensions = query.timeDimensions.map((td, i): PlannedTimeDimension => {
    const member = resolve<DimensionDef>(td.dimension, ['dimension'], `timeDimensions[${i}].dimension`);
    if (member.def.type !== 'time')
      throw invalid(
        `'${td.dimension}' is a ${member.def.type} dimension; timeDimensions need a time dimension.`,
        `timeDimensions[${i}]`,
      );
    const out: PlannedTimeDimension = {
      member,
      index: i,
      ...(td.dateRange ? { dateRange: td.dateRange as string | string[] } : {}),
    };
    if (td.granularity) {
      const custom = member.def.granularities.get(td.granularity);
      if (custom) out.granularity = { custom };
      else if ((GRANULARITIES as readonly string[]).includes(td.granularity))
        out.granularity = { standard: td.granularity as StandardGranularity };
      else {
        throw invalid(
          `unknown granularity '${td.granularity}' for '${td.dimension}'.`,
          `timeDimensions[${i}].granularity`,
          `Use one of ${[...GRANULARITIES, ...member.def.granularities.keys()].join(', ')}.`,
        );
      }
      out.granularityName = td.granularity;
    }
    return out;
  });
  const filterMemberMap = new Map<string, ResolvedMember>();
  const resolveFilters = (filters: Filter[], at: string) =>
    filters.forEach((f, i) => {
      for (const name of filterMembers(f)) {
        if (!filterMemberMap.has(name))
          filterMemberMap.set(name, resolveMember(model, name, ['dimension', 'measure'], `${at}[${i}]`));
      }
    });
  resolveFilters(query.filters, 'filters');
  const tokenFilters: Filter[] = claims.filters;
  resolveFilters(tokenFilters, 'token filters');
  if (
    query.ungrouped &&
    filterMemberMap.size &&
    [...filterMemberMap.values()].some((m) => m.def.kind === 'measure')
  ) {
    throw invalid(
      'an ungrouped query cannot filter on measures.',
      'filters',
      'Filter on dimensions, or drop `ungrouped`.',
    );
  }

  const userMembers: ResolvedMember[] = [
    ...measures,
    ...dimensions,
    ...timeDimensions.map((t) => t.member),
    ...segments,
  ];
  for (const f of query.filters)
    for (const name of filterMembers(f)) userMembers.push(filterMemberMap.get(name)!);
  if (measures.length + dimensions.length + timeDimensions.length === 0) {
    throw invalid(
      'the query selects nothing.',
      undefined,
      'Add at least one measure, dimension or time dimension.',
    );
  }

  const views = new Set(userMembers.filter((m) => m.owner.kind === 'view').map((m) => m.owner.name));
  if (views.size > 1 || (views.size === 1 && userMembers.some((m) => m.owner.kind === 'cube'))) {
    throw invalid(
      'a query reads either one view or cubes, not both.',
      undefined,
      'Add the members you need to the view.',
    );
  }
  const view = views.size ? (model.views.get([...views][0]!) as ViewDef) : undefined;
  const root = view
    ? view.root
    : firstCube(measures, dimensions, timeDimensions, query.filters, filterMemberMap, segments);

  // Access policies can add row filters on other cubes, whose joins can reach further cubes
  // with policies of their own: repeat until the set of cubes stops growing.
  const requested = new Map<CubeDef | ViewDef, Set<string>>();
  for (const m of userMembers) {
    for (const [entity, name] of [
      [m.owner, m.name.slice(m.name.indexOf('.') + 1)] as const,
      [m.cube, m.def.name] as const,
    ]) {
      if (!requested.has(entity)) requested.set(entity, new Set());
      requested.get(entity)!.add(name);
    }
  }
  const systemFilters: Filter[] = [...tokenFilters];
  const checked = new Set<CubeDef | ViewDef>();
  let tree: JoinTree;
  for (;;) {
    const members = [...userMembers, ...[...filterMemberMap.values()]];
    const needs = new Map<string, string[] | undefined>();
    for (const m of members) {
      for (const c of cubesReadBy(model, m.cube, m.def)) {
        // A view member fixes the path to its own cube; other cubes are found from the root.
        const fixed = c === m.cube.name ? m.path : undefined;
        if (fixed) needs.set(c, fixed);
        else if (!needs.has(c)) needs.set(c, undefined);
      }
    }
    tree = buildJoinTree(
      model,
      root,
      [...needs].map(([cube, path]) => (path ? { cube, path } : { cube })),
    );
    const entities: (CubeDef | ViewDef)[] = [
      ...(view ? [view] : []),
      ...[...tree.cubes].map((c) => model.cubes.get(c)!),
    ];
    let grew = false;
    for (const e of entities) {
      if (checked.has(e)) continue;
      checked.add(e);
      const rowFilter = applyPolicy(scope, e, requested.get(e) ?? []);
      if (rowFilter) {
        systemFilters.push(rowFilter);
        const before = filterMemberMap.size;
        resolveFilters([rowFilter], `access_policy of ${e.name}`);
        grew ||= filterMemberMap.size > before;
      }
    }
    // Only a row filter on a member not seen yet can pull another cube into the tree.
    if (!grew) break;
  }

  const dataSource = dataSourceOf(model, tree!);
  const ctx: CompileContext = {
    ...scope,
    dialect: typeof dialect === 'function' ? dialect(dataSource) : dialect,
  };

  const limit = query.limit ?? limits.defaultLimit;
  if (limit > limits.maxLimit) {
    throw invalid(
      `limit ${limit} is above the maximum of ${limits.maxLimit} rows.`,
      'limit',
      'Page with offset, or raise the configured row cap.',
    );
  }
  return {
    query,
    ctx,
    measures,
    dimensions,
    timeDimensions,
    segments,
    filters: query.filters,
    systemFilters,
    filterMembers: filterMemberMap,
    tree: tree!,
    dataSource,
    limit,
    offset: query.offset ?? 0,
    order: orderOf(query, measures, dimensions, timeDimensions),
  };
}

/**
 * One query runs on one database, so every cube it reads (requested, joined, or pulled in by a
 * row-level rule) must share the root's `data_source`; joining across databases is refused.
 */
function dataSourceOf(model: SemanticModel, tree: JoinTree): string {
  const root = model.cubes.get(tree.root)!;
  for (const name of [...tree.cubes].sort()) {
    const cube = model.cubes.get(name)!;
    if (cube.dataSource !== root.dataSource) {
      throw new InlayError(
        'QUERY_INVALID',
        `the query reads cubes on two data sources: '${root.name}' is on data_source '${root.dataSource}' and '${cube.name}' on '${cube.dataSource}'.`,
        {
          hint: 'A query runs on one database: query these cubes separately, or give them the same data_source.',
        },
      );
    }
  }
  return root.dataSource;
}

const securitySchema = z.object({
  securityContext: z.record(z.string(), z.unknown()).optional(),
  roles: z.array(z.string().min(1).max(100)).max(100).optional(),
  filters: filterListSchema(filterSchema).optional(),
});

/** What a token or preview call brings, checked: a malformed claim refuses the query. */
function checkSecurity(security: SecurityOptions): {
  securityContext: Record<string, unknown>;
  roles: string[];
  filters: Filter[];
} {
  const parsed = securitySchema.safeParse(security);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.join('.');
    throw new InlayError(
      'SECURITY_CONTEXT_MISSING',
      `the security options are malformed at '${at}': ${issue.message}.`,
      {
        hint: 'securityContext is an object, roles a list of names, filters a list of {member, operator, values}.',
      },
    );
  }
  return {
    securityContext: parsed.data.securityContext ?? {},
    roles: parsed.data.roles ?? [],
    filters: parsed.data.filters ?? [],
  };
}

/** Cube's rule: the root is the cube of the first member named (measures, dimensions, time dimensions, filters). */
function firstCube(
  measures: ResolvedMember[],
  dimensions: ResolvedMember[],
  timeDimensions: PlannedTimeDimension[],
  filters: Filter[],
  filterMap: Map<string, ResolvedMember>,
  segments: ResolvedMember[],
): string {
  const first =
    measures[0] ??
    dimensions[0] ??
    timeDimensions[0]?.member ??
    filters.flatMap((f) => filterMembers(f)).map((n) => filterMap.get(n))[0] ??
    segments[0];
  return first!.cube.name;
}

function orderOf(
  query: Query,
  measures: ResolvedMember[],
  dimensions: ResolvedMember[],
  tds: PlannedTimeDimension[],
): { name: string; desc: boolean }[] {
  const entries: [string, 'asc' | 'desc'][] = Array.isArray(query.order)
    ? query.order
    : Object.entries(query.order ?? {});
  if (query.order !== undefined) {
    const known = new Set([
      ...measures.map((m) => m.name),
      ...dimensions.map((d) => d.name),
      ...tds
        .filter((t) => t.granularityName)
        .flatMap((t) => [t.member.name, `${t.member.name}.${t.granularityName}`]),
    ]);
    entries.forEach(([name], i) => {
      if (!known.has(name)) {
        throw invalid(
          `cannot order by ${preview(name)}: it is not a measure, dimension or time dimension of this query.`,
          `order[${i}]`,
          'Add it to the query first.',
        );
      }
    });
    return entries.map(([name, dir]) => ({ name, desc: dir === 'desc' }));
  }
  if (query.ungrouped) return [];
  const td = tds.find((t) => t.granularityName);
  if (td) return [{ name: `${td.member.name}.${td.granularityName}`, desc: false }];
  if (measures[0]) return [{ name: measures[0].name, desc: true }];
  if (dimensions[0]) return [{ name: dimensions[0].name, desc: false }];
  return [];
}
