/**
 * Variable values as components set them. `Value.noFilter()` is a plain, JSON-safe object (not a
 * symbol) because it crosses bundles and is serialised into `variablesChange` events; the runtime
 * treats it exactly like "no value": a dataset filter bound to the variable drops.
 */
export interface NoFilterValue {
  readonly __inlayNoFilter: true;
}

const NO_FILTER: NoFilterValue = Object.freeze({ __inlayNoFilter: true as const });

export const Value = {
  /** A value for a variable or an event property; kept as given (Embeddable's `Value.of`). */
  of<T>(value: T): T {
    return value;
  },
  /** "No value": the filters bound to the variable drop (all time, every value). */
  noFilter(): NoFilterValue {
    return NO_FILTER;
  },
};

/** True for `Value.noFilter()` from any copy of the SDK, and for Embeddable's `{noFilter: true}`. */
export function isNoFilter(value: unknown): value is NoFilterValue {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { __inlayNoFilter?: unknown; noFilter?: unknown };
  return v.__inlayNoFilter === true || v.noFilter === true;
}

/** True when a variable value means "no filter": undefined, null or `Value.noFilter()`. */
export function hasNoValue(value: unknown): boolean {
  return value === undefined || value === null || isNoFilter(value);
}
