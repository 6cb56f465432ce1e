import type { Filter, FilterOperator, QueryInput, SecurityOptions } from '@inlay/core';
import type { CubeDef, DimensionDef, MeasureDef, SemanticModel, ViewDef } from '../src/index.js';
import type { Random } from './random.js';

/** One query of the planning benchmark, with everything `compileQuery` needs besides the model. */
export interface BenchQuery {
  query: QueryInput;
  security: SecurityOptions;
  dialect: 'duckdb' | 'postgres' | 'questdb';
  now: Date;
}

/** What a model's queries may use besides its members. */
export interface QueryGenOptions {
  /** Security options to draw from; `token` gets a token filter on the root cube's first string dimension. */
  securities: (SecurityOptions & { token?: boolean })[];
  strings: string[];
  /** Dates (YYYY-MM-DD) filter and date-range values are drawn from. */
  dates: string[];
  now: Date;
  /** How far (in joins) from the root dimensions are drawn. */
  maxDepth: number;
  /** Share of queries that go through a view (when the model has views). */
  viewShare: number;
}

interface Member {
  name: string;
  def: DimensionDef | MeasureDef;
}

const GRANULARITIES = ['hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
const RELATIVE = ['last 7 days', 'this month', 'last quarter', 'last 30 days', 'this year', 'yesterday'];
const STRING_OPS: FilterOperator[] = [
  'equals',
  'notEquals',
  'contains',
  'notContains',
  'startsWith',
  'endsWith',
  'set',
  'notSet',
];
const NUMBER_OPS: FilterOperator[] = ['equals', 'gt', 'gte', 'lt', 'lte', 'notSet'];
const TIME_OPS: FilterOperator[] = [
  'inDateRange',
  'notInDateRange',
  'beforeDate',
  'beforeOrOnDate',
  'afterDate',
  'afterOrOnDate',
  'set',
];

/** Cubes reachable from `root` by exactly one shortest join path, within `maxDepth` joins. */
function uniquelyReachable(model: SemanticModel, root: string, maxDepth: number): string[] {
  const dist = new Map([[root, 0]]);
  const ways = new Map([[root, 1]]);
  const queue = [root];
  while (queue.length) {
    const cur = queue.shift()!;
    const d = dist.get(cur)! + 1;
    for (const next of model.cubes.get(cur)!.joins.keys()) {
      if (!dist.has(next)) {
        dist.set(next, d);
        ways.set(next, ways.get(cur)!);
        if (d < maxDepth) queue.push(next);
      } else if (dist.get(next) === d) ways.set(next, ways.get(next)! + ways.get(cur)!);
    }
  }
  return [...dist.keys()].filter((c) => ways.get(c) === 1);
}

const cubeMembers = (cube: CubeDef): Member[] =>
  [...cube.dimensions.values(), ...cube.measures.values()]
    .filter((d) => d.public)
    .map((def) => ({ name: `${cube.name}.${def.name}`, def }));

function viewMembers(model: SemanticModel, view: ViewDef): Member[] {
  const out: Member[] = [];
  for (const vm of view.members.values()) {
    const cube = model.cubes.get(vm.cube)!;
    const def = vm.kind === 'measure' ? cube.measures.get(vm.member) : cube.dimensions.get(vm.member);
    if (def) out.push({ name: `${view.name}.${vm.name}`, def });
  }
  return out;
}

export class QueryGenerator {
  private readonly cubes: CubeDef[];
  private readonly views: ViewDef[];
  private readonly reach = new Map<string, string[]>();

  constructor(
    private readonly model: SemanticModel,
    private readonly rnd: Random,
    private readonly opts: QueryGenOptions,
  ) {
    this.cubes = [...model.cubes.values()];
    this.views = [...model.views.values()];
  }

  next(): BenchQuery {
    const r = this.rnd;
    const useView = this.views.length > 0 && r.chance(this.opts.viewShare);
    let rootMembers: Member[];
    let others: Member[];
    let rootCube: CubeDef | undefined;
    if (useView) {
      const all = viewMembers(this.model, r.pick(this.views));
      rootMembers = all;
      others = all;
    } else {
      rootCube = r.pick(this.cubes);
      let reach = this.reach.get(rootCube.name);
      if (!reach) {
        reach = uniquelyReachable(this.model, rootCube.name, this.opts.maxDepth);
        this.reach.set(rootCube.name, reach);
      }
      rootMembers = cubeMembers(rootCube);
      others = reach.flatMap((c) => cubeMembers(this.model.cubes.get(c)!));
    }
    const measuresOf = (ms: Member[]) => ms.filter((m) => m.def.kind === 'measure');
    const dimsOf = (ms: Member[]) => ms.filter((m) => m.def.kind === 'dimension' && m.def.type !== 'time');
    const timesOf = (ms: Member[]) => ms.filter((m) => m.def.kind === 'dimension' && m.def.type === 'time');

    const ungrouped = r.chance(0.03);
    const measures = ungrouped ? [] : r.some(measuresOf(rootMembers), r.int(0, 3));
    if (measures.length && r.chance(0.15)) {
      const extra = r.pick(measuresOf(others));
      if (!measures.includes(extra)) measures.push(extra);
    }
    const dimensions = r.some(dimsOf(others), r.int(0, 3));
    if (!measures.length) dimensions.unshift(r.pick(dimsOf(rootMembers)));
    const dims = [...new Set(dimensions)];

    const timeDimensions: NonNullable<QueryInput['timeDimensions']> = [];
    const grains: string[] = [];
    const times = timesOf(rootMembers);
    if (times.length && r.chance(0.55)) {
      const td = r.pick(times);
      const custom = [...(td.def as DimensionDef).granularities.keys()];
      const granularity = r.chance(0.8) ? r.pick([...GRANULARITIES, ...custom]) : undefined;
      const dateRange = r.chance(0.65) ? this.dateRange() : undefined;
      timeDimensions.push({
        dimension: td.name,
        ...(granularity ? { granularity } : {}),
        ...(dateRange ? { dateRange } : {}),
      });
      if (granularity) grains.push(`${td.name}.${granularity}`);
    }

    const filters: Filter[] = [];
    for (let i = r.int(0, 3); i > 0; i--) {
      const f = r.chance(0.15)
        ? { [r.chance(0.5) ? 'and' : 'or']: [this.filter(others), this.filter(others)] }
        : this.filter(others);
      filters.push(f as Filter);
    }
    if (measures.length && !ungrouped && r.chance(0.1)) {
      const m = r.pick(measures);
      filters.push({
        member: m.name,
        operator: r.pick(['gt', 'lt', 'gte'] as const),
        values: [r.int(1, 500)],
      });
    }

    const query: QueryInput = {
      ...(measures.length ? { measures: measures.map((m) => m.name) } : {}),
      ...(dims.length ? { dimensions: dims.map((d) => d.name) } : {}),
      ...(timeDimensions.length ? { timeDimensions } : {}),
      ...(filters.length ? { filters } : {}),
    };
    if (rootCube?.segments.size && r.chance(0.1)) query.segments = [`${rootCube.name}.active`];
    if (ungrouped) query.ungrouped = true;
    const orderable = [...measures.map((m) => m.name), ...dims.map((d) => d.name), ...grains];
    if (orderable.length && r.chance(0.45)) {
      const picked = r
        .some(orderable, r.int(1, 2))
        .map((n): [string, 'asc' | 'desc'] => [n, r.chance(0.5) ? 'asc' : 'desc']);
      query.order = r.chance(0.5) ? picked : Object.fromEntries(picked);
    }
    if (r.chance(0.6)) query.limit = r.pick([10, 100, 500, 1000, 5000, 50_000]);
    if (query.limit !== undefined && r.chance(0.2)) query.offset = r.int(1, 200);
    if (r.chance(0.05)) query.total = true;
    if (r.chance(0.1)) query.timezone = r.pick(['Europe/Berlin', 'America/New_York', 'Asia/Tokyo']);

    const sec = r.pick(this.opts.securities);
    const { token, ...security } = sec;
    const tokenMember = dimsOf(rootMembers).find((d) => d.def.type === 'string');
    if (token && rootCube && tokenMember) {
      security.filters = [
        { member: tokenMember.name, operator: 'notEquals', values: [r.pick(this.opts.strings)] },
      ];
    }
    const roll = r.next();
    const dialect = roll < 0.8 ? 'duckdb' : roll < 0.95 ? 'postgres' : 'questdb';
    return { query, security, dialect, now: this.opts.now };
  }

  private dateRange(): string | [string, string] {
    const r = this.rnd;
    if (r.chance(0.35)) return r.pick(RELATIVE);
    const [a, b] = r.some(this.opts.dates, 2).sort();
    return r.chance(0.3) ? [`${a}T00:00:00`, `${b}T23:59:59.999`] : [a!, b!];
  }

  private filter(members: Member[]): Filter {
    const r = this.rnd;
    const dims = members.filter((m) => m.def.kind === 'dimension');
    const m = r.pick(dims);
    const type = (m.def as DimensionDef).type;
    switch (type) {
      case 'time': {
        const operator = r.pick(TIME_OPS);
        if (operator === 'set') return { member: m.name, operator };
        const values = operator.endsWith('DateRange')
          ? r.some(this.opts.dates, 2).sort()
          : [r.pick(this.opts.dates)];
        return { member: m.name, operator, values };
      }
      case 'number': {
        const operator = r.pick(NUMBER_OPS);
        if (operator === 'notSet') return { member: m.name, operator };
        const values = operator === 'equals' ? [r.int(1, 99), String(r.int(100, 999))] : [r.int(-50, 3000)];
        return { member: m.name, operator, values };
      }
      case 'boolean':
        return { member: m.name, operator: 'equals', values: [r.pick([true, false, 'true'])] };
      default: {
        const operator = r.pick(STRING_OPS);
        if (operator === 'set' || operator === 'notSet') return { member: m.name, operator };
        const n = operator === 'equals' || operator === 'notEquals' ? r.int(1, 4) : 1;
        return { member: m.name, operator, values: r.some(this.opts.strings, n) };
      }
    }
  }
}

/** Dates `YYYY-MM-DD` every `step` days from `from` for `count` steps. */
export function dateList(from: string, count: number, step: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) =>
    new Date(start + i * step * 86_400_000).toISOString().slice(0, 10),
  );
}
