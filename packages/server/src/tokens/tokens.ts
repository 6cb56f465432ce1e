import { hkdfSync, randomUUID } from 'node:crypto';
import {
  DEFAULT_ENVIRONMENT,
  InlayError,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  type TokenClaims,
  type TokenRequest,
  tokenClaimsSchema,
} from '@inlay/core';
import { LRUCache } from 'lru-cache';
import { deepFreeze } from '../shared/frozen.js';

/** The one algorithm we sign with and the only one verification accepts. */
export const TOKEN_ALG = 'HS256';
/** Seconds of clock skew forgiven on `exp`. */
export const CLOCK_TOLERANCE_SECONDS = 5;
/** Claims larger than this would make a token too long for the Authorization header. */
export const MAX_CLAIMS_BYTES = 8 * 1024;
/** HKDF context: the token key is not the key that seals credentials, and a later scheme gets its own. */
export const TOKEN_KEY_INFO = 'inlay security token v1';

/** Thrown for every verification failure; the message never says which check failed. */
export class InvalidTokenError extends Error {
  constructor() {
    super('invalid or expired token');
    this.name = 'InvalidTokenError';
  }
}

/** jose loads with the first token signed or checked: a server answering only API keys never needs it. */
const loadJose = () => import('jose');

/** HMAC key for tokens: HKDF-SHA256 of the server secret, separate from the credentials key. */
export function deriveTokenKey(secretKey: Uint8Array): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secretKey, new Uint8Array(0), TOKEN_KEY_INFO, 32));
}

/** A token request after the server resolved the dashboard (its canonical id). */
export type TokenGrant = TokenRequest & { embeddableId: string };

export interface TokenService {
  sign(workspaceId: string, grant: TokenGrant): Promise<string>;
  /** The checked claims, or InvalidTokenError. */
  verify(token: string): Promise<TokenClaims>;
  /**
   * The claims of a token verified before and not expired, without waiting; undefined otherwise
   * (then `verify` decides). Most requests of a dashboard are answered from here.
   */
  verified(token: string): TokenClaims | undefined;
}

/** Verified tokens remembered, so a dashboard's many requests pay for one HMAC check. */
const VERIFIED_TOKENS = 10_000;

export function createTokenService(secretKey: Uint8Array): TokenService {
  const key = deriveTokenKey(secretKey);
  // Keyed by the exact token text: any change to a byte is a different key and is verified afresh.
  // WebCrypto's HMAC is most of an L1 hit's CPU time otherwise. No TTL in the cache: `exp` is
  // compared with the clock on every use instead (cheaper than the cache's own timers, and the
  // same clock `jwtVerify` reads); an expired entry is dropped when next asked for.
  const verified = new LRUCache<string, TokenClaims>({ max: VERIFIED_TOKENS });
  const remembered = (token: string): TokenClaims | undefined => {
    const known = verified.get(token);
    if (!known) return undefined;
    if (known.exp + CLOCK_TOLERANCE_SECONDS > Date.now() / 1000) return known;
    verified.delete(token);
    return undefined;
  };
  return {
    async sign(workspaceId, grant) {
      const now = Math.floor(Date.now() / 1000);
      const claims: Omit<TokenClaims, 'sub' | 'aud' | 'iss' | 'iat' | 'exp' | 'jti'> = {
        workspaceId,
        embeddableId: grant.embeddableId,
        savedVersion: grant.savedVersion,
        environment: grant.environment ?? DEFAULT_ENVIRONMENT,
        securityContext: grant.securityContext,
        roles: grant.roles ?? [],
        filters: grant.filters ?? [],
      };
      const size = Buffer.byteLength(JSON.stringify(claims)) + Buffer.byteLength(grant.user);
      if (size > MAX_CLAIMS_BYTES) {
        throw new InlayError(
          'QUERY_INVALID',
          `the token's claims are ${size} bytes; at most ${MAX_CLAIMS_BYTES} fit.`,
          {
            hint: 'The token travels in an HTTP header (16 KB in Node): keep the security context and filters small, e.g. ids rather than lists of records.',
          },
        );
      }
      const { SignJWT } = await loadJose();
      return new SignJWT(claims)
        .setProtectedHeader({ alg: TOKEN_ALG, typ: 'JWT' })
        .setSubject(grant.user)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuer(TOKEN_ISSUER)
        .setIssuedAt(now)
        .setExpirationTime(now + grant.expiryInSeconds)
        .setJti(randomUUID())
        .sign(key);
    },
    verified: remembered,
    async verify(token) {
      // An expired one is no longer remembered, and `jwtVerify` below refuses it.
      const known = remembered(token);
      if (known) return known;
      const { jwtVerify } = await loadJose();
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [TOKEN_ALG],
          audience: TOKEN_AUDIENCE,
          issuer: TOKEN_ISSUER,
          typ: 'JWT',
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp', 'iat', 'sub', 'jti'],
        });
        const claims = tokenClaimsSchema.safeParse(payload);
        if (!claims.success) throw new InvalidTokenError();
        // The same claims object answers every request of the token: frozen, so none can change it.
        const data = deepFreeze(claims.data);
        verified.set(token, data);
        return data;
      } catch {
        // Bad signature, wrong algorithm, expired, wrong audience, malformed: one answer for all.
        throw new InvalidTokenError();
      }
    },
  };
}
