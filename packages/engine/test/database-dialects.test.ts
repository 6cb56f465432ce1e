/**
 * Each database in the drivers' registry names an engine dialect by string (drivers never import
 * the engine): that dialect must exist here, under the same name.
 */
import { databasePlugins } from '@inlay/drivers';
import { describe, expect, it } from 'vitest';
import { getDialect } from '../src/index.js';

const PLUGINS = databasePlugins();

describe('the dialect of every registered database', () => {
  it.each(PLUGINS.map((p) => [p.type, p.dialect]))(
    '%s prints SQL in the engine dialect %s',
    (_type, name) => {
      expect(getDialect(name).name).toBe(name);
    },
  );
});
