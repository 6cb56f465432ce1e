import { afterEach, describe, expect, it, vi } from 'vitest';
import { DataBridge, isRenewal, tokenExpiry } from '../src/api.js';
import type { RequestReport } from '../src/request-report.js';

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

describe('DataBridge reports (inlay:request)', () => {
  const recorder = () => {
    const reports: RequestReport[] = [];
    return { reports, report: (r: RequestReport) => reports.push(r) };
  };

  it('one report per request: the widgets that shared it, rows, cache level, the preview’s "as"', async () => {
    const calls = pendingFetch();
    const { reports, report } = recorder();
    const as = { securityContext: { states: ['CA'] }, roles: ['default'] };
    const preview = { document: {} as never, csrfToken: 'c', as };
    const bridge = new DataBridge(() => ({ baseUrl: 'http://x', token: () => '', preview }), report);
    const a = bridge.load(query, new AbortController().signal, { widgetId: 'kpi', dataset: 'flights' });
    const b = bridge.load(query, new AbortController().signal, { widgetId: 'other', dataset: 'flights' });
    expect(reports).toEqual([]);
    calls[0]!.answer({ ...ANSWER, total: 7, cache: { level: 'l1', age_ms: 5, refreshed_at: '' } });
    await Promise.all([a, b]);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      widgetId: 'kpi',
      widgetIds: ['kpi', 'other'],
      dataset: 'flights',
      query,
      as,
      status: 'ok',
      httpStatus: 200,
      cache: 'l1',
      rows: 1,
      total: 7,
      error: null,
    });
    expect(Number.isNaN(Date.parse(reports[0]!.startedAt))).toBe(false);
    expect(reports[0]!.ms).toBeGreaterThanOrEqual(0);
  });

  it('a failed request reports the server’s message, hint, code and status; a token sends no "as"', async () => {
    const body = {
      errorMessage: "unknown member 'flights.nope'",
      hint: 'did you mean flights.count?',
      code: 'QUERY_INVALID',
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify(body), { status: 400 })),
    );
    const { reports, report } = recorder();
    const bridge = new DataBridge(() => ({ baseUrl: 'http://x', token: () => 't' }), report);
    await expect(bridge.load(query, new AbortController().signal, { widgetId: 'kpi' })).rejects.toThrow();
    await Promise.resolve();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      widgetId: 'kpi',
      dataset: null,
      status: 'error',
      httpStatus: 400,
      cache: null,
      rows: null,
      error: { message: body.errorMessage, hint: body.hint, code: body.code },
    });
    expect(reports[0]).not.toHaveProperty('as');
  });

  it('a request nobody waits for any more is reported aborted, without an error', async () => {
    pendingFetch();
    const { reports, report } = recorder();
    const bridge = new DataBridge(() => ({ baseUrl: 'http://x', token: () => 't' }), report);
    const pass = new AbortController();
    const load = bridge.load(query, pass.signal, { widgetId: 'kpi' });
    pass.abort();
    await expect(load).rejects.toThrow('aborted');
    await vi.waitFor(() => expect(reports).toHaveLength(1));
    expect(reports[0]).toMatchObject({ status: 'aborted', error: null, httpStatus: null, rows: null });
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
