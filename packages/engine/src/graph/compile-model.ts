import { createHash } from 'node:crypto';
import { InlayError } from '@inlay/core';
import { parseModelFile } from '../model-files/parse.js';
import type { ModelFile } from '../model-files/read.js';
import { ProblemList } from '../validate/errors.js';
import { checkShape } from '../validate/shape.js';
import { buildCubes } from './build.js';
import { collectSources } from './specs.js';
import type { SemanticModel } from './types.js';
import { buildViews, checkPolicyMembers } from './views.js';

const cache = new Map<string, SemanticModel>();
const CACHE_LIMIT = 32;

/** Model version: a hash of every file's path and content. */
export function modelVersion(files: readonly ModelFile[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    h.update(f.path)
      .update('\0')
      .update(f.content ?? JSON.stringify(f.object ?? null))
      .update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Loads, validates and links a model. Throws `ModelErrors` listing every problem with its file,
 * line, cube and member. Memoised by model version: the same files compile once.
 */
export function compileModel(files: readonly ModelFile[]): SemanticModel {
  const version = modelVersion(files);
  const hit = cache.get(version);
  if (hit) return hit;
  const problems = new ProblemList();
  const specs = files.flatMap((file) => {
    try {
      const parsed = parseModelFile(file);
      const shape = checkShape(parsed, problems);
      return shape ? [{ parsed, cubes: shape.cubes ?? [], views: shape.views ?? [] }] : [];
    } catch (e) {
      if (!(e instanceof InlayError)) throw e;
      problems.add(e);
      return [];
    }
  });
  const sources = collectSources(specs, problems);
  const cubes = buildCubes(sources.cubes, problems);
  const views = buildViews(sources.views, cubes, problems);
  checkPolicyMembers(cubes, views, problems);
  problems.throwIfAny();
  const model: SemanticModel = { version, cubes, views };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(version, model);
  return model;
}
