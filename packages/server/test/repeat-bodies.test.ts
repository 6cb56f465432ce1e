/**
 * Repeated request bodies are parsed and validated once and shared, frozen: the shortcut must not
 * weaken parsing (prototype poisoning, empty or broken JSON), must not remember an invalid body
 * as valid, and must not let one request change what the next one sees.
 */
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { memoiseRepeatBodies } from '../src/plugins/repeat-bodies.js';

const seen: unknown[] = [];
const app = Fastify().withTypeProvider<ZodTypeProvider>();
app.setValidatorCompiler(validatorCompiler);
app.setSerializerCompiler(serializerCompiler);
app.register(async (plugin) => {
  memoiseRepeatBodies(plugin, { maxBodyChars: 200 });
  const scope = plugin.withTypeProvider<ZodTypeProvider>();
  const body = z.strictObject({ query: z.object({ measures: z.array(z.string()).default([]) }) });
  scope.post('/echo', { schema: { body } }, async (req) => {
    seen.push(req.body);
    return { measures: req.body.query.measures };
  });
  scope.post('/mutate', { schema: { body } }, async (req) => {
    req.body.query.measures.push('injected');
    return { measures: req.body.query.measures };
  });
});
// Outside the plugin: bodies stay ordinary objects.
app.post('/outside', async (req) => ({ frozen: Object.isFrozen(req.body) }));

beforeAll(() => app.ready());
afterAll(() => app.close());

const post = (url: string, payload: string) =>
  app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });

describe('repeated bodies', () => {
  it('are parsed and validated once: the same frozen value, with the schema defaults', async () => {
    seen.length = 0;
    const text = JSON.stringify({ query: {} });
    for (let i = 0; i < 3; i++) expect((await post('/echo', text)).json()).toEqual({ measures: [] });
    expect(seen[0]).toBe(seen[1]);
    expect(seen[1]).toBe(seen[2]);
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect(Object.isFrozen((seen[0] as { query: { measures: string[] } }).query.measures)).toBe(true);
  });

  it('a handler cannot change what the next request sees', async () => {
    const text = JSON.stringify({ query: { measures: ['a'] } });
    expect((await post('/mutate', text)).statusCode).toBe(500);
    expect((await post('/mutate', text)).statusCode).toBe(500);
    expect((await post('/echo', text)).json()).toEqual({ measures: ['a'] });
  });

  it('long bodies are parsed each time and stay mutable', async () => {
    seen.length = 0;
    const text = JSON.stringify({ query: { measures: Array.from({ length: 40 }, (_, i) => `m${i}`) } });
    expect(text.length).toBeGreaterThan(200);
    await post('/echo', text);
    await post('/echo', text);
    expect(seen[0]).not.toBe(seen[1]);
    expect(Object.isFrozen(seen[0])).toBe(false);
  });

  it('an invalid body is refused every time, never remembered as valid', async () => {
    const text = JSON.stringify({ query: { measures: [1] }, extra: true });
    for (let i = 0; i < 2; i++) expect((await post('/echo', text)).statusCode).toBe(400);
  });

  it('keeps Fastify’s parser checks: prototype poisoning, empty and broken JSON', async () => {
    for (let i = 0; i < 2; i++) {
      expect((await post('/echo', '{"__proto__": {"admin": true}, "query": {}}')).statusCode).toBe(400);
      expect((await post('/echo', '{"constructor": {"prototype": {"x": 1}}, "query": {}}')).statusCode).toBe(
        400,
      );
      expect((await post('/echo', '')).statusCode).toBe(400);
      expect((await post('/echo', '{"query": ')).statusCode).toBe(400);
    }
    expect(({} as { admin?: boolean }).admin).toBeUndefined();
  });

  it('applies only inside the plugin that asks for it', async () => {
    const text = JSON.stringify({ query: {} });
    expect((await post('/outside', text)).json()).toEqual({ frozen: false });
  });
});
