import { createHash } from 'node:crypto';
import type { Store } from '../store/index.js';

const KEY_CACHE_MS = 10_000;

/** Verifies an API key; `forgetAll` drops what it remembers (a key was revoked). */
export type KeyVerifier = ((key: string) => Promise<string | undefined>) & { forgetAll(): void };

/**
 * `store.apiKeys.verify` with the answers for valid keys kept a few seconds (by the key's
 * sha256), so a busy key costs no metadata query per request. A revoke through this server calls
 * `forgetAll`, so the key stops at once here; other replicas stop within those seconds.
 */
export function cachedKeyVerifier(store: Store): KeyVerifier {
  const cache = new Map<string, { workspaceId: string; at: number }>();
  // The cache holds digests only, not which key id each is: a revoke clears it all (it refills
  // with one metadata query per live key).
  // A verify that read the key before a revoke must not put it back after: each clear starts a
  // new generation, and only answers of the current one are kept.
  let generation = 0;
  const forgetAll = () => {
    generation += 1;
    cache.clear();
  };
  const verify = async (key: string) => {
    const started = generation;
    const digest = createHash('sha256').update(key, 'utf8').digest('base64');
    const hit = cache.get(digest);
    if (hit && Date.now() - hit.at < KEY_CACHE_MS) return hit.workspaceId;
    const ws = await store.apiKeys.verify(key);
    if (!ws) {
      cache.delete(digest);
      return undefined;
    }
    if (started !== generation) return ws.id;
    if (cache.size >= 1000) cache.delete(cache.keys().next().value!);
    cache.set(digest, { workspaceId: ws.id, at: Date.now() });
    return ws.id;
  };
  return Object.assign(verify, { forgetAll });
}
