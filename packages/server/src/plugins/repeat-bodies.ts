import type { FastifyInstance, FastifySchema, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { LRUCache } from 'lru-cache';
import { deepFreeze } from '../shared/frozen.js';
import { boundedJsonParser } from './json-body.js';

/** The memo's findings, for the front door (`front-door.ts`). */
export interface RepeatBodies {
  /**
   * The validated body the route `method url` was given for this exact body text (the same frozen
   * object each time), while both memos still hold it; undefined otherwise.
   */
  validated(method: string, url: string, text: string): object | undefined;
}

/**
 * A dashboard sends the same few bodies again and again (one per chart and filter state), and on
 * an L1 hit parsing and validating them was a fifth of the server's work. Within the plugin that
 * calls this, each distinct small JSON body is parsed once and validated once per route schema.
 *
 * Safe to share between requests because both the parsed body and the validated value are frozen
 * (deeply): a handler that tried to change one would throw, not leak into the next request.
 * Parsing keeps Fastify's own parser (prototype-poisoning checks, empty-body errors) behind the
 * app's nesting limit.
 */
export function memoiseRepeatBodies(
  app: FastifyInstance,
  options: { maxEntries?: number; maxBodyChars?: number } = {},
): RepeatBodies {
  const maxBodyChars = options.maxBodyChars ?? 4096;
  const parsed = new LRUCache<string, object>({ max: options.maxEntries ?? 2_000 });
  const json = boundedJsonParser(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    const known = text.length <= maxBodyChars ? parsed.get(text) : undefined;
    if (known) return done(null, known);
    json(req, text, (err, value) => {
      if (!err && text.length <= maxBodyChars && typeof value === 'object' && value !== null) {
        parsed.set(text, deepFreeze(value));
      }
      done(err, value);
    });
  });

  // Each route's validated bodies, by method, then URL: where the front door looks a text up
  // (two lookups of the caller's own strings, where one of a joined key builds and hashes it anew).
  const bodiesOf = new Map<string, Map<string, WeakMap<object, { value: unknown }>>>();

  // Validated values by parsed body: only the frozen, shared bodies above are ever found here.
  const compile: FastifySchemaCompiler<FastifySchema> = (route) => {
    const validate = validatorCompiler(route as never) as (data: unknown) => {
      value?: unknown;
      error?: Error;
    };
    const valid = new WeakMap<object, { value: unknown }>();
    if (route.httpPart === 'body') {
      const method = String(route.method);
      if (!bodiesOf.has(method)) bodiesOf.set(method, new Map());
      bodiesOf.get(method)!.set(route.url, valid);
    }
    return (data: unknown) => {
      const shared = typeof data === 'object' && data !== null && Object.isFrozen(data);
      const known = shared ? valid.get(data) : undefined;
      if (known) return known;
      const result = validate(data);
      if (shared && !result.error) {
        const frozen = { value: deepFreeze(result.value) };
        valid.set(data, frozen);
        return frozen;
      }
      return result;
    };
  };
  app.setValidatorCompiler(compile);
  return {
    validated(method, url, text) {
      const body = text.length <= maxBodyChars ? parsed.get(text) : undefined;
      const value = body && bodiesOf.get(method)?.get(url)?.get(body)?.value;
      return typeof value === 'object' && value !== null ? value : undefined;
    },
  };
}
