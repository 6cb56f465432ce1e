import { InlayError, type ParamValue } from '@inlay/core';
import type { SemanticModel } from '../graph/types.js';
import type { Dialect } from '../sql/dialect.js';
import type { Clock } from '../time/clock.js';

/** Everything one compilation needs, fixed for its duration. */
export interface CompileContext {
  model: SemanticModel;
  dialect: Dialect;
  securityContext: Record<string, unknown>;
  roles: string[];
  timezone: string;
  /** Read through `clock.now` only: the compiled query records whether it depends on time. */
  clock: Clock;
}

/**
 * What planning reads before it knows which database the query runs on: everything but the
 * dialect (the dialect follows from the data source of the cubes the plan reads).
 */
export type PlanScope = Omit<CompileContext, 'dialect'>;

/** What the security-context readers need. */
type SecurityScope = Pick<CompileContext, 'securityContext'>;

/** Reads a security-context value; a missing key is an error, never an empty filter. */
export function securityValue(ctx: SecurityScope, path: readonly string[]): unknown {
  let cur: unknown = ctx.securityContext;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) {
      throw new InlayError('SECURITY_CONTEXT_MISSING', `the security context has no '${path.join('.')}'.`, {
        hint: 'The token (or the preview call) must carry this key; a query that cannot apply a security rule is refused.',
      });
    }
    cur = (cur as Record<string, unknown>)[key];
  }
  if (cur === null || cur === undefined) {
    throw new InlayError('SECURITY_CONTEXT_MISSING', `the security context's '${path.join('.')}' is empty.`, {
      hint: 'Give it a value; null never widens access.',
    });
  }
  return cur;
}

/** At most this many values in one security-context list (databases cap bound parameters). */
export const MAX_SECURITY_VALUES = 10_000;

/** A security-context value as a non-empty list of scalars; anything else refuses the query. */
export function securityList(ctx: SecurityScope, path: readonly string[]): (string | number | boolean)[] {
  const v = securityValue(ctx, path);
  const values = Array.isArray(v) ? v : [v];
  const name = path.join('.');
  if (values.length === 0) {
    throw new InlayError('SECURITY_CONTEXT_MISSING', `the security context's '${name}' is an empty list.`, {
      hint: 'An empty list would match no rows or break the rule; send at least one value.',
    });
  }
  if (values.length > MAX_SECURITY_VALUES) {
    throw new InlayError(
      'SECURITY_CONTEXT_MISSING',
      `the security context's '${name}' holds more than ${MAX_SECURITY_VALUES} values.`,
    );
  }
  return values.map((x) => scalarParam(x, path) as string | number | boolean);
}

export function scalarParam(v: unknown, path: readonly string[]): ParamValue {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new InlayError(
    'SECURITY_CONTEXT_MISSING',
    `the security context's '${path.join('.')}' must be a string, number, boolean or a list of them.`,
  );
}
