import { z } from 'zod';
import { filterListSchema, memberFilterSchema } from './query.js';
import { QUERY_LIMITS } from './query-limits.js';

/**
 * Security tokens: what a host backend asks for (`POST /api/v1/security-token`, Embeddable's
 * shape) and what the signed JWT carries. The browser only ever holds the token; on every data
 * request the server takes the security context, roles, filters and environment from it.
 */

export const TOKEN_AUDIENCE = 'inlay-embed';
export const TOKEN_ISSUER = 'inlay';
export const DEFAULT_TOKEN_EXPIRY_SECONDS = 7 * 24 * 3600;
export const MAX_TOKEN_EXPIRY_SECONDS = 30 * 24 * 3600;
export const DEFAULT_SAVED_VERSION = 'production';
export const DEFAULT_ENVIRONMENT = 'default';

const name = z.string().min(1).max(200);
const roles = z.array(z.string().min(1).max(100)).max(50);
const filters = filterListSchema(memberFilterSchema);
const securityContext = z.record(z.string(), z.unknown());

export const tokenRequestSchema = z.strictObject({
  embeddableId: name.describe('The dashboard, by id or name.'),
  savedVersion: name.default(DEFAULT_SAVED_VERSION).describe("A version or tag; 'production' by default."),
  expiryInSeconds: z
    .number()
    .int()
    .min(1)
    .max(MAX_TOKEN_EXPIRY_SECONDS)
    .default(DEFAULT_TOKEN_EXPIRY_SECONDS)
    .describe('Lifetime of the token; 7 days by default, 30 days at most.'),
  securityContext: securityContext
    .default({})
    .describe('Values the models reference as { securityContext.x } (row-level security).'),
  user: name.describe('Who the token is for (the JWT subject).'),
  environment: name.optional().describe("Which connections answer; 'default' when absent."),
  roles: roles.optional().describe("Access-policy roles; ['default'] when absent."),
  filters: filters
    .optional()
    .describe(
      `Filters every query of the token must apply: at most ${QUERY_LIMITS.filters}, ` +
        `${QUERY_LIMITS.valuesPerFilter} values each and ${QUERY_LIMITS.values} in all.`,
    ),
});
export type TokenRequestInput = z.input<typeof tokenRequestSchema>;
export type TokenRequest = z.output<typeof tokenRequestSchema>;

/** The JWT payload. Checked with this schema after the signature, so a claim of the wrong shape is refused. */
export const tokenClaimsSchema = z.strictObject({
  sub: name,
  aud: z.literal(TOKEN_AUDIENCE),
  iss: z.literal(TOKEN_ISSUER),
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.string().min(8).max(100),
  workspaceId: name,
  embeddableId: name,
  savedVersion: name,
  environment: name,
  securityContext,
  roles,
  filters,
});
export type TokenClaims = z.output<typeof tokenClaimsSchema>;
