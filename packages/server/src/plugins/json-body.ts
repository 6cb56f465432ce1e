import { InlayError, QUERY_LIMITS } from '@inlay/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * How deep a JSON request body may nest. A query with and/or groups at their limit nests about
 * 25; security contexts and dashboards need far less than this.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 34;
const BACKSLASH = 92;
const OPENERS = new Set([123, 91]); // { [
const CLOSERS = new Set([125, 93]); // } ]

/** The deepest `{`/`[` nesting of a JSON text, strings skipped: a linear scan, no recursion. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (OPENERS.has(c)) deepest = Math.max(deepest, ++depth);
    else if (CLOSERS.has(c)) depth--;
  }
  return deepest;
}

export type JsonParser = (
  req: FastifyRequest,
  text: string,
  done: (err: Error | null, body?: unknown) => void,
) => void;

/**
 * Fastify's own JSON parser (prototype-poisoning checks, empty-body errors) behind a nesting
 * limit. A body nested a hundred thousand levels takes V8 most of a second to parse and then
 * overflows the stack of whatever walks it (validation, the cache key, signing a token); the scan
 * refuses it in a millisecond or two, before parsing.
 */
export function boundedJsonParser(app: FastifyInstance): JsonParser {
  const json = app.getDefaultJsonParser('error', 'error');
  return (req, text, done) => {
    const depth = jsonDepth(text);
    if (depth > MAX_JSON_DEPTH) {
      return done(
        new InlayError(
          'QUERY_INVALID',
          `the JSON body nests ${depth} levels deep, the limit is ${MAX_JSON_DEPTH}`,
          {
            hint: `Flatten the body: filters nest at most ${QUERY_LIMITS.depth} and/or groups, and a security context needs no deep nesting.`,
          },
        ),
      );
    }
    json(req, text, done);
  };
}

/** Every `application/json` body of `app` (and the plugins registered after this) goes through the limit. */
export function limitJsonDepth(app: FastifyInstance): void {
  const parse = boundedJsonParser(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) =>
    parse(req, body as string, done),
  );
}
