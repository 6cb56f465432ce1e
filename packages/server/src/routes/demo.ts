import { readFileSync } from 'node:fs';
import { tokenRequestSchema } from '@inlay/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DashboardSource } from '../dashboards/index.js';
import type { TokenService } from '../tokens/index.js';

/**
 * `/demo`: "Acme SaaS", a small host product embedding flights-overview for three customers. It
 * plays both halves of a real integration: the page (`demo/page.html`, `demo/app.js`) is what the
 * host's browser gets, and `POST /demo/api/token` is the host's own backend, which mints a token
 * for the signed-in customer server-side. The browser never sees the API key.
 */

/** Each customer's security context: the flights models show a tenant the flights leaving its states. */
export const DEMO_CUSTOMERS = {
  'acme-west': { name: 'Acme West', securityContext: { states: ['CA'] } },
  'acme-east': { name: 'Acme East', securityContext: { states: ['NY', 'NJ'] } },
  'acme-south': { name: 'Acme South', securityContext: { states: ['TX'] } },
} as const;
export type DemoCustomer = keyof typeof DEMO_CUSTOMERS;

export const DEMO_DASHBOARD = 'flights-overview';
/** Short, so the page shows renewal on `tokenExpiring` at work. */
export const DEMO_TOKEN_SECONDS = 15 * 60;

export interface DemoRouteOptions {
  workspaceId: string;
  dashboards: DashboardSource;
  tokens: TokenService;
}

const asset = (name: string) => readFileSync(new URL(`../demo/${name}`, import.meta.url), 'utf8');

/** The page's own scripts only, plus the Inlay server it embeds from (this one): the CSP the issue promises works. */
const PAGE_CSP =
  "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

function renderPage(): string {
  const options = Object.entries(DEMO_CUSTOMERS)
    .map(([id, c]) => `<option value="${id}">${c.name}</option>`)
    .join('');
  return asset('page.html').replace('<!--CUSTOMERS-->', options);
}

export const demoRoutes: FastifyPluginAsyncZod<DemoRouteOptions> = async (app, opts) => {
  const page = renderPage();
  const script = asset('app.js');

  app.get('/demo', { config: { auth: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', PAGE_CSP)
      .header('cache-control', 'no-cache')
      .send(page),
  );
  app.get('/demo/app.js', { config: { auth: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(script),
  );

  app.post(
    '/demo/api/token',
    {
      config: { auth: 'public' },
      schema: {
        hide: true,
        body: z.strictObject({
          customer: z.enum(Object.keys(DEMO_CUSTOMERS) as [DemoCustomer, ...DemoCustomer[]]),
        }),
      },
    },
    async (req) => {
      const customer = DEMO_CUSTOMERS[req.body.customer];
      // What a host backend does with POST /api/v1/security-token and its API key, done in-process.
      const grant = tokenRequestSchema.parse({
        embeddableId: DEMO_DASHBOARD,
        expiryInSeconds: DEMO_TOKEN_SECONDS,
        securityContext: customer.securityContext,
        user: `demo-${req.body.customer}`,
      });
      const dashboard = await opts.dashboards.resolve(opts.workspaceId, DEMO_DASHBOARD, grant.savedVersion);
      const token = await opts.tokens.sign(opts.workspaceId, { ...grant, embeddableId: dashboard.id });
      return {
        token,
        customer: { id: req.body.customer, name: customer.name },
        expiresAt: new Date(Date.now() + DEMO_TOKEN_SECONDS * 1000).toISOString(),
      };
    },
  );
};
