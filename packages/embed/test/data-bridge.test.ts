import { afterEach, describe, expect, it, vi } from 'vitest';
import { DataBridge, isRenewal, tokenExpiry } from '../src/api.js';

/** A fetch that answers only when told, recording each call and its abort signal. */
function pendingFetch() {
  const calls: { body: string; auth: string; signal: AbortSignal; answer: (body: unknown) => void }[] = [];
  const fetch = vi.fn((_url: string, init: RequestInit) => {
    return new Promise<Response>((resolve, reject) => {
      const signal = init.signal!;
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      calls.push({
        body: String(init.body),
        auth: (init.headers as Record<string, string>).authorization!,
        signal,
        answer: (body) => resolve(new Response(JSON.stringify(body), { status: 200 })),
      });
    });
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

const ANSWER = {
  data: [{ 'flights.count': 3 }],
  annotation: { measures: {}, dimensions: {}, segments: {}, timeDimensions: {} },
};
const query = { measures: ['flights.count'], limit: 100 };

describe('DataBridge', () => {
  it('identical loads in flight share one request, sent with the current token', async () => {
    const calls = pendingFetch();
    let token = 'first';
    const bridge = new DataBridge(() => ({ baseUrl: 'http://inlay.test', token: () => token }));
    const a = bridge.load(query, new AbortController().signal);
    token = 'second';
    const b = bridge.load({ ...query }, new AbortController().signal);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.auth).toBe('Bearer first');
    expect(JSON.parse(calls[0]!.body)).toEqual({ query });
    calls[0]!.answer(ANSWER);
    await expect(a).resolves.toEqual(ANSWER);
    await expect(b).resolves.toEqual(ANSWER);
    // Settled: the next load is a new request, with the token of now.
    void bridge.load(query, new AbortController().signal);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.auth).toBe('Bearer second');
  });

  it('a shared request is aborted only when nobody waits for it any more', async () => {
    const calls = pendingFetch();
    const bridge = new DataBridge(() => ({ baseUrl: 'http://inlay.test', token: () => 't' }));
    const one = new AbortController();
    const two = new AbortController();
    const a = bridge.load(query, one.signal);
    const b = bridge.load(query, two.signal);
    one.abort();
    await expect(a).rejects.toThrow('aborted');
    expect(calls[0]!.signal.aborted).toBe(false);
    two.abort();
    await expect(b).rejects.toThrow('aborted');
    expect(calls[0]!.signal.aborted).toBe(true);
  });

  it('an error answer carries the server message', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ errorMessage: 'invalid or expired token' }), { status: 401 }),
      ),
    );
    const bridge = new DataBridge(() => ({ baseUrl: 'http://inlay.test', token: () => 't' }));
    await expect(bridge.load(query, new AbortController().signal)).rejects.toThrow(
      'invalid or expired token',
    );
  });
});

describe('tokenExpiry', () => {
  it('reads `exp` from the payload (ms), undefined for anything that is not a JWT', () => {
    const payload = Buffer.from(JSON.stringify({ exp: 1_700_000_000 })).toString('base64url');
    expect(tokenExpiry(`h.${payload}.s`)).toBe(1_700_000_000_000);
    expect(tokenExpiry('not-a-jwt')).toBeUndefined();
    expect(tokenExpiry('a.!!!.c')).toBeUndefined();
  });

  it('a renewal changes only lifetime claims; another user, context or dashboard is not one', () => {
    const jwt = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
    const base = {
      sub: 'u-1',
      embeddableId: 'd',
      securityContext: { states: ['CA'] },
      exp: 1,
      iat: 0,
      jti: 'a',
    };
    expect(isRenewal(jwt(base), jwt({ ...base, exp: 2, iat: 1, jti: 'b' }))).toBe(true);
    expect(isRenewal(jwt(base), jwt({ ...base, securityContext: { states: ['TX'] } }))).toBe(false);
    expect(isRenewal(jwt(base), jwt({ ...base, sub: 'u-2' }))).toBe(false);
    expect(isRenewal(jwt(base), jwt({ ...base, embeddableId: 'e' }))).toBe(false);
    expect(isRenewal(jwt(base), 'not-a-jwt')).toBe(false);
  });
});
