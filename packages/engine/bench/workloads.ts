import type { SemanticModel } from '../src/index.js';
import { type BenchQuery, dateList, QueryGenerator } from './query-gen.js';
import { Random } from './random.js';

/** A query and the model it runs against. */
export interface ModelQuery extends BenchQuery {
  model: SemanticModel;
  source: 'generated' | 'flights';
}

const CONTEXT = { tenant: 'tenant_17', regions: ['EU', 'US'] };

/** Queries over the generated 500-cube model (see model-gen.ts for its roles and policies). */
function generatedQueries(model: SemanticModel, n: number, seed: number): ModelQuery[] {
  const gen = new QueryGenerator(model, new Random(seed), {
    securities: [
      { roles: ['admin'] },
      { roles: ['admin'], token: true },
      { securityContext: CONTEXT },
      { roles: ['default'], securityContext: CONTEXT, token: true },
      { roles: ['analyst'], securityContext: CONTEXT },
      { roles: ['default', 'analyst'], securityContext: CONTEXT },
    ],
    strings: ['active', 'archived', 'EU', 'US', 'alpha', 'beta', 'gamma', "o'brien", '50%_off', 'tenant_3'],
    dates: dateList('2023-01-01', 60, 9),
    now: new Date('2024-06-15T12:00:00Z'),
    maxDepth: 3,
    viewShare: 0.15,
  });
  return Array.from({ length: n }, () => ({ ...gen.next(), model, source: 'generated' as const }));
}

/** Queries over the flights example (roles from its access policy). */
function flightsQueries(model: SemanticModel, n: number, seed: number): ModelQuery[] {
  const gen = new QueryGenerator(model, new Random(seed), {
    securities: [
      { roles: ['admin'] },
      { roles: ['admin'], token: true },
      { securityContext: { states: ['CA'] } },
      { roles: ['default'], securityContext: { states: ['NY', 'NJ', 'CT'] }, token: true },
      { roles: ['default', 'admin'], securityContext: { states: ['TX'] } },
    ],
    strings: ['SFO', 'LAX', 'JFK', 'ORD', 'ATL', 'CA', 'NY', 'TX', 'San Francisco', 'USA'],
    dates: dateList('2001-01-01', 40, 4),
    now: new Date('2001-07-01T00:00:00Z'),
    maxDepth: 2,
    viewShare: 0,
  });
  return Array.from({ length: n }, () => ({ ...gen.next(), model, source: 'flights' as const }));
}

/** `total` queries: 70 % over the generated model, 30 % over flights, interleaved at random. */
export function planningWorkload(
  generated: SemanticModel,
  flights: SemanticModel,
  total: number,
  seed = 42,
): ModelQuery[] {
  const nFlights = Math.round(total * 0.3);
  const all = [
    ...generatedQueries(generated, total - nFlights, seed),
    ...flightsQueries(flights, nFlights, seed + 1),
  ];
  return new Random(seed + 2).shuffle(all);
}
