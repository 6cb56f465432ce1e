import { filterCases } from './filters.js';
import { joinCases } from './joins.js';
import { measureFilterCases } from './measure-filters.js';
import { measureCases } from './measures.js';
import { securityCases } from './security.js';
import { timeCases } from './time.js';
import type { CorpusCase } from './types.js';
import { zoneCases } from './zones.js';

export type { CorpusCase } from './types.js';
export { ADMIN } from './types.js';

/** The hand-written expectations for the flights example, in one list. */
export const flightsCorpus: CorpusCase[] = [
  ...measureCases,
  ...filterCases,
  ...measureFilterCases,
  ...timeCases,
  ...zoneCases,
  ...joinCases,
  ...securityCases,
];
