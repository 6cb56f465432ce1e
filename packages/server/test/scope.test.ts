import type { Query } from '@inlay/core';
import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../src/shared/frozen.js';
import { assertQueryInScope } from '../src/tokens/index.js';

const query = (q: Partial<Query>): Query => ({
  measures: [],
  dimensions: [],
  timeDimensions: [],
  filters: [],
  segments: [],
  ...q,
});

describe('a token query is checked against its dashboard', () => {
  const flights = { name: 'flights overview', models: new Set(['flights', 'airports']) };
  const narrow = { name: 'flights only', models: new Set(['flights']) };

  it('a shared (frozen) query allowed for one dashboard is still refused for another, every time', () => {
    const q = deepFreeze(query({ measures: ['flights.count'], dimensions: ['airports.state'] }));
    assertQueryInScope(q, flights);
    assertQueryInScope(q, flights);
    for (let i = 0; i < 3; i++) {
      expect(() => assertQueryInScope(q, narrow)).toThrow(
        "may not query 'airports' (member 'airports.state')",
      );
    }
    // And the other way round: a refusal remembers nothing that would later allow it.
    const outside = deepFreeze(query({ measures: ['flights.count'], segments: ['destinations.big'] }));
    for (let i = 0; i < 2; i++) expect(() => assertQueryInScope(outside, flights)).toThrow("'destinations'");
  });

  it('a dashboard re-read from the store (a new object with fewer models) is checked afresh', () => {
    const q = deepFreeze(
      query({ measures: ['flights.count'], filters: [{ member: 'airports.state', operator: 'set' }] }),
    );
    assertQueryInScope(q, flights);
    const reread = { ...flights, models: new Set(['flights']) };
    expect(() => assertQueryInScope(q, reread)).toThrow("'airports'");
  });
});
