import type { Computed } from '../../src/cache/index.js';

/** Database stand-ins' answers for the result-cache tests: a count of `n`, so runs can be told apart. */
export const annotation = { measures: {}, dimensions: {}, segments: {}, timeDimensions: {} };
export const answer = (n: number): Computed => ({
  body: Buffer.from(JSON.stringify({ data: [{ 'flights.count': n }], annotation })),
  rows: 1,
  source: 'none',
});
/** The count in a cached answer's body. */
export const countOf = (r: { entry: { body: Buffer } }): number =>
  JSON.parse(r.entry.body.toString('utf8')).data[0]['flights.count'];
