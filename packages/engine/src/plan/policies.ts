import { type Filter, InlayError, type PolicyFilter } from '@inlay/core';
import { securityPathOf } from '../graph/template.js';
import type { CubeDef, PolicyDef, ViewDef } from '../graph/types.js';
import { type PlanScope, securityList, securityValue } from './context.js';

const WHOLE_REF = /^\{([^{}]+)\}$/;
const ANY_REF = /\{([^{}]+)\}/g;

/** Policies of `entity` that apply to the caller's roles and whose conditions hold. */
function matching(ctx: PlanScope, policies: PolicyDef[]): PolicyDef[] {
  return policies.filter(
    (p) => (p.role === '*' || ctx.roles.includes(p.role)) && p.conditions.every((c) => holds(ctx, c)),
  );
}

function holds(ctx: PlanScope, c: PolicyDef['conditions'][number]): boolean {
  if (typeof c === 'boolean') return c;
  const refs = c.parts.filter((p) => typeof p !== 'string');
  const text = c.parts
    .filter((p) => typeof p === 'string')
    .join('')
    .trim();
  const ref = refs[0];
  if (refs.length !== 1 || text !== '' || !ref || typeof ref === 'string' || ref.ref !== 'security') {
    throw new InlayError('MODEL_INVALID', `access_policy condition '${c.source}' is not supported.`, {
      hint: 'Write `if: "{ securityContext.flag }"`; the policy applies when that value is truthy.',
    });
  }
  try {
    return Boolean(securityValue(ctx, ref.path));
  } catch {
    // A condition that cannot be evaluated does not grant anything.
    return false;
  }
}

/**
 * Applies one cube's or view's access policy: refuses the query when no policy admits the
 * caller or a requested member is hidden, and returns the row filter to AND into the query.
 */
export function applyPolicy(
  ctx: PlanScope,
  entity: CubeDef | ViewDef,
  requested: Iterable<string>,
): Filter | undefined {
  if (!entity.policies) return undefined;
  const kind = entity.kind;
  const admitted = matching(ctx, entity.policies);
  if (admitted.length === 0) {
    throw new InlayError(
      'ACCESS_DENIED',
      `role${ctx.roles.length > 1 ? 's' : ''} ${ctx.roles.map((r) => `'${r}'`).join(', ')} may not query ${kind} '${entity.name}'.`,
      {
        hint: "No access_policy entry of this cube or view names the caller's roles.",
      },
    );
  }
  for (const member of requested) {
    const visible = admitted.some(
      (p) =>
        (p.includes === '*' || p.includes.has(member)) && !p.excludes.has(member) && !p.excludes.has('*'),
    );
    if (!visible) {
      throw new InlayError(
        'ACCESS_DENIED',
        `'${entity.name}.${member}' is hidden from the caller's roles by an access policy.`,
      );
    }
  }
  if (admitted.some((p) => !p.rowFilters)) return undefined;
  const perPolicy = admitted.map(
    (p) => ({ and: p.rowFilters!.map((f) => qualify(ctx, entity.name, f)) }) as Filter,
  );
  return perPolicy.length === 1 ? perPolicy[0] : { or: perPolicy };
}

function qualify(ctx: PlanScope, owner: string, f: PolicyFilter): Filter {
  if ('and' in f) return { and: f.and.map((x) => qualify(ctx, owner, x)) };
  if ('or' in f) return { or: f.or.map((x) => qualify(ctx, owner, x)) };
  const member = f.member.includes('.') ? f.member : `${owner}.${f.member}`;
  const values = f.values?.flatMap((v) => resolveValue(ctx, v));
  return { member, operator: f.operator, ...(values ? { values } : {}) };
}

/** `"{ securityContext.states }"` becomes the context's values (spread when a list). */
function resolveValue(ctx: PlanScope, v: string | number | boolean): (string | number | boolean)[] {
  if (typeof v !== 'string' || !v.includes('{')) return [v];
  const whole = WHOLE_REF.exec(v.trim());
  if (whole) {
    return securityList(ctx, pathOrFail(whole[1]!));
  }
  return [
    v.replace(ANY_REF, (_m, inner: string) =>
      String(scalar(securityValue(ctx, pathOrFail(inner)), pathOrFail(inner))),
    ),
  ];
}

function pathOrFail(inner: string): string[] {
  const path = securityPathOf(inner);
  if (!path) {
    throw new InlayError(
      'MODEL_INVALID',
      `access_policy value {${inner}} is not a security-context reference.`,
      {
        hint: 'Write "{ securityContext.key }".',
      },
    );
  }
  return path;
}

function scalar(v: unknown, path: string[]): string | number | boolean {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new InlayError(
    'SECURITY_CONTEXT_MISSING',
    `the security context's '${path.join('.')}' must be a string, number, boolean or a list of them.`,
  );
}
