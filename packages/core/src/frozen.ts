/**
 * Freezes an object and everything it holds, so one value can be shared by many requests: a handler
 * that tried to change it would throw instead of leaking the change into the next request. Frozen
 * values also let caches keyed by identity (compiled queries, their JSON text) trust what they hold.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
