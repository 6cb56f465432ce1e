import type { Driver } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, type TenantSetup, tenantSetup } from './bundle-helpers.js';
import {
  DETAIL,
  detailDoc,
  OVERVIEW,
  overviewDoc,
  publish,
  UNLINKED,
  unlinkedDoc,
} from './drilldown-fixtures.js';
import { BACKENDS } from './store/helpers.js';
import { bearer, tamper } from './token-helpers.js';

/**
 * Drill-down with a security token, against a real metadata store: a token for a dashboard opens
 * (with the `x-inlay-drill` header) exactly the dashboards its pinned version links to by
 * DRILLDOWN, with the token's own claims; anything else is refused before any data is read.
 */

const DOC = '/api/v1/embed/dashboard';
const drill = (path: string) => ({ 'x-inlay-drill': path });

let db: Driver;
beforeAll(() => {
  db = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });
});
afterAll(() => db?.close());

/** Flights leaving `state`, counted straight from the DuckDB file. */
async function flightsFrom(state: string): Promise<number> {
  const { rows } = await db.query(
    'SELECT count(*) AS n FROM flights f JOIN airports a ON f.origin = a.iata WHERE a.state = $1',
    [state],
  );
  return Number(rows[0]!.n);
}

describe.each(BACKENDS)('drill-down with a security token (%s)', (backend) => {
  let t: TenantSetup;
  const inject = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: auth(t.a.key), ...(payload ? { payload } : {}) });
  const token = async (embeddableId: string, extra: Record<string, unknown> = {}) => {
    const res = await inject('POST', '/api/v1/security-token', {
      embeddableId,
      user: 'u',
      securityContext: { states: ['CA', 'NY'] },
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().token as string;
  };
  const get = (tok: string, url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers: { ...bearer(tok), ...headers } });
  const load = (tok: string, query: object, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers: { ...bearer(tok), ...headers },
      payload: { query },
    });

  beforeAll(async () => {
    t = await tenantSetup(backend);
    for (const [name, doc] of [
      [DETAIL, detailDoc()],
      [UNLINKED, unlinkedDoc()],
      [OVERVIEW, overviewDoc()],
    ] as const) {
      const out = await publish(inject, name, doc);
      expect(out, JSON.stringify(out)).toHaveProperty('version', 'v1');
    }
  });
  afterAll(() => t?.close());

  it("a token for the overview opens the linked detail: its document, its cubes, its data with the token's claims", async () => {
    const tok = await token(OVERVIEW);
    const res = await get(tok, DOC, drill(DETAIL));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().dashboard).toMatchObject({ name: DETAIL, version: 'v1', title: 'State detail' });
    const meta = await get(tok, '/api/v1/meta', drill(DETAIL));
    expect(
      meta
        .json()
        .cubes.map((c: { name: string }) => c.name)
        .sort(),
    ).toEqual(['airports', 'flights']);

    const query = {
      measures: ['flights.count'],
      filters: [{ member: 'airports.state', operator: 'equals', values: ['CA'] }],
    };
    const ca = await load(tok, query, drill(DETAIL));
    expect(ca.statusCode, ca.body).toBe(200);
    expect(Number(ca.json().data[0]['flights.count'])).toBe(await flightsFrom('CA'));
    // The security context still applies: a state outside it has no rows, however the modal asks.
    const tx = await load(
      tok,
      { ...query, filters: [{ member: 'airports.state', operator: 'equals', values: ['TX'] }] },
      drill(DETAIL),
    );
    expect(tx.statusCode).toBe(200);
    expect(Number(tx.json().data[0]?.['flights.count'] ?? 0)).toBe(0);
    expect(await flightsFrom('TX')).toBeGreaterThan(0);
  });

  it('an unlinked dashboard is a 403 for its document, its meta and a /load of its cubes, with no data', async () => {
    const tok = await token(OVERVIEW);
    for (const res of [
      await get(tok, DOC, drill(UNLINKED)),
      await get(tok, '/api/v1/meta', drill(UNLINKED)),
      await load(tok, { measures: ['destinations.count'] }, drill(UNLINKED)),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().errorMessage).toBe(
        `dashboard '${OVERVIEW}' (v1) has no drill-down to '${UNLINKED}': this token may open only the dashboards its dashboard's DRILLDOWN events name.`,
      );
      expect(res.body).not.toContain('widgets');
      expect(res.json().data).toBeUndefined();
    }
    // Without the header, the unlinked cube is outside the token's dashboard as before.
    const plain = await load(tok, { measures: ['destinations.count'] });
    expect(plain.statusCode).toBe(403);
    // Inside the linked detail, the unlinked cube is still out of scope.
    const viaDetail = await load(tok, { measures: ['destinations.count'] }, drill(DETAIL));
    expect(viaDetail.statusCode).toBe(403);
    expect(viaDetail.json().errorMessage).toContain(`dashboard '${DETAIL}' may not query 'destinations'`);
  });

  it('links go one way and are read from the server, never the client: reversed, chained, tampered', async () => {
    // The detail links nowhere: a token for it cannot open the overview.
    const detailToken = await token(DETAIL);
    const back = await get(detailToken, DOC, drill(OVERVIEW));
    expect(back.statusCode).toBe(403);
    // A chain through a real link to a target the middle does not link to.
    const tok = await token(OVERVIEW);
    expect((await get(tok, DOC, drill(`${DETAIL},${UNLINKED}`))).statusCode).toBe(403);
    // The token itself changed to name another dashboard: its signature no longer holds.
    const forged = tamper(detailToken, (p) => {
      p.embeddableId = OVERVIEW;
    });
    expect((await get(forged, DOC, drill(DETAIL))).statusCode).toBe(401);
    // Malformed paths are refused, not ignored.
    for (const bad of ['../x', 'a,,b', Array(7).fill(DETAIL).join(','), 'a b']) {
      const res = await get(tok, DOC, drill(bad));
      expect(res.statusCode, bad).toBe(400);
      expect(res.body).not.toContain('widgets');
    }
  });

  it("follows the token's pinned version and tag: an unpublished link opens nothing, the target's production version shows", async () => {
    // v2 of the overview links nowhere, saved but not published: production (v1) still links.
    const v2 = await publish(inject, OVERVIEW, { ...overviewDoc(), widgets: [] }, null);
    expect(v2).toHaveProperty('version', 'v2');
    const still = await get(await token(OVERVIEW), DOC, drill(DETAIL));
    expect(still.statusCode, still.body).toBe(200);
    expect((await get(await token(OVERVIEW, { savedVersion: 'v2' }), DOC, drill(DETAIL))).statusCode).toBe(
      403,
    );
    // A newer detail saved but not published: the drill shows its production version.
    const d2 = await publish(inject, DETAIL, detailDoc('State detail, second edition'), null);
    expect(d2).toHaveProperty('version', 'v2');
    const shown = await get(await token(OVERVIEW), DOC, drill(DETAIL));
    expect(shown.json().dashboard).toMatchObject({ version: 'v1', title: 'State detail' });
    // A staging token opens the target at staging, which it does not have yet: 404, not another version.
    const overview = (await inject('GET', `/api/v1/embeddables?search=${OVERVIEW}`)).json().embeddables[0];
    const staged = await inject('PUT', `/api/v1/embeddables/${overview.id}/tags/staging`, { version: 'v1' });
    expect(staged.statusCode).toBe(400);
    expect(staged.json().errorMessage).toContain(`drill-down target '${DETAIL}' has no staging version`);
  });

  it('a link to a dashboard that does not exist is refused at save and publish, and is a 404 at runtime', async () => {
    const refused = await publish(inject, 'ghost-linker', overviewDoc('ghost'));
    expect(refused).toEqual({
      refused: expect.objectContaining({
        statusCode: 400,
        errorMessage: expect.stringContaining(
          "document.widgets.0.events.0.config.dashboard: widget 'by-state' drills down to dashboard 'ghost', which does not exist",
        ),
      }),
    });
    const badVariable = await publish(inject, 'bad-variable', {
      ...overviewDoc(),
      widgets: overviewDoc().widgets.map((w) => ({
        ...w,
        events: [
          {
            event: 'onBarClick',
            action: 'DRILLDOWN',
            config: { dashboard: DETAIL, variables: { nope: 'value' } },
          },
        ],
      })),
    });
    expect(JSON.stringify(badVariable)).toContain(
      `passes variable 'nope' to dashboard '${DETAIL}', which does not declare it`,
    );

    // Written straight to the store (as an older server might have): the runtime answers 404.
    await t.store.dashboards.save(
      t.a.id,
      'ghost-linker-2',
      { name: 'ghost-linker-2', ...overviewDoc('ghost') },
      null,
    );
    const res = await get(await token('ghost-linker-2', { savedVersion: 'v1' }), DOC, drill('ghost'));
    expect(res.statusCode).toBe(404);
    expect(res.json().errorMessage).toBe(
      "dashboard 'ghost-linker-2' drills down to 'ghost', which does not exist or has no 'production' version. Publish the target dashboard, or change the drill-down to one that exists.",
    );
    // No list of the workspace's dashboards for a token holder.
    expect(res.body).not.toContain(UNLINKED);
  });
});
