import { createRequire } from 'node:module';
import type pg from 'pg';

/**
 * node-postgres, loaded with the first PostgreSQL or QuestDB driver rather than with every process
 * (~15 MB and a tenth of a second of a start that serves only DuckDB). CommonJS, so a synchronous
 * require keeps the drivers' constructors synchronous.
 */
export const loadPg = (): typeof pg => createRequire(import.meta.url)('pg') as typeof pg;
