import { InlayError } from '@inlay/core';
import { didYouMean } from '../validate/suggest.js';
import type { Location, Template, TemplatePart } from './types.js';

/** What a `{…}` reference may resolve to in the cube it appears in. */
export interface TemplateScope {
  cube: string;
  hasOwnMember(name: string): boolean;
  hasCube(name: string): boolean;
  hasMember(cube: string, member: string): boolean;
  /** Names to suggest for a misspelt reference: own members and cubes, or one cube's members. */
  known(cube?: string): Iterable<string>;
  loc: Location;
  member?: string;
}

const REF = /\{([^{}]*)\}/g;
const BARE_COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECURITY_PREFIXES = [
  ['SECURITY_CONTEXT'],
  ['COMPILE_CONTEXT', 'securityContext'],
  ['securityContext'],
  ['security_context'],
  ['userAttributes'],
];

/**
 * Parses model SQL into text and references. A bare column name (`sql: origin`) is read as
 * `{CUBE}.origin` so it stays unambiguous once other cubes are joined.
 */
export function parseTemplate(source: string, scope: TemplateScope, bareColumn = true): Template {
  const column = source.trim();
  if (bareColumn && BARE_COLUMN.test(column)) {
    // Lower-case names are quoted, so reserved words (`at`, `order`) work; other names keep the
    // database's own case folding.
    const name: TemplatePart =
      column === column.toLowerCase() ? { ref: 'column', name: column } : `${column}`;
    return { source, parts: [{ ref: 'cube', cube: scope.cube }, '.', name] };
  }
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const m of source.matchAll(REF)) {
    if (m.index > last) parts.push(source.slice(last, m.index));
    parts.push(resolveRef(m[1]!.trim(), scope));
    last = m.index + m[0].length;
  }
  if (last < source.length) parts.push(source.slice(last));
  return { source, parts };
}

/** `SECURITY_CONTEXT.a.b` (and Cube's other spellings) to `['a', 'b']`; undefined for anything else. */
export function securityPathOf(inner: string): string[] | undefined {
  const segments = inner
    .trim()
    .replace(/\.unsafeValue\(\)$/, '')
    .split('.');
  for (const prefix of SECURITY_PREFIXES) {
    if (prefix.every((p, i) => segments[i] === p) && segments.length > prefix.length)
      return segments.slice(prefix.length);
  }
  return undefined;
}

function resolveRef(inner: string, scope: TemplateScope): TemplatePart {
  const security = securityPathOf(inner);
  if (security) return { ref: 'security', path: security };
  const segments = inner.split('.');
  const fail = (message: string, hint?: string) =>
    new InlayError('MODEL_INVALID', message, {
      where: { ...scope.loc, cube: scope.cube, ...(scope.member ? { member: scope.member } : {}) },
      ...(hint ? { hint } : {}),
    });
  if (segments.some((s) => !BARE_COLUMN.test(s))) {
    throw fail(
      `cannot read the reference {${inner}}.`,
      'Use {CUBE}, {CUBE}.column, {member}, {cube.member}, {cube}.column or {SECURITY_CONTEXT.key}.',
    );
  }
  if (segments.length === 1) {
    const name = segments[0]!;
    if (name === 'CUBE' || name === 'TABLE') return { ref: 'cube', cube: scope.cube };
    if (scope.hasOwnMember(name)) return { ref: 'member', cube: scope.cube, member: name };
    if (scope.hasCube(name)) return { ref: 'cube', cube: name };
    throw fail(
      `{${name}} is neither a member of '${scope.cube}' nor a cube.`,
      didYouMean(name, scope.known()) ?? 'Check the spelling.',
    );
  }
  if (segments.length === 2) {
    const [first, second] = segments as [string, string];
    const cube = first === 'CUBE' || first === 'TABLE' ? scope.cube : first;
    if (!scope.hasCube(cube))
      throw fail(`{${inner}} names an unknown cube '${cube}'.`, didYouMean(cube, scope.known()));
    if (!scope.hasMember(cube, second)) {
      throw fail(
        `{${inner}}: cube '${cube}' has no member '${second}'.`,
        didYouMean(second, scope.known(cube)) ?? `For a column write {${cube}}.${second}.`,
      );
    }
    return { ref: 'member', cube, member: second };
  }
  throw fail(`{${inner}} has too many parts.`, 'References are {member} or {cube.member}.');
}

/** The security-context keys a template reads, for validation and documentation. */
export function securityRefs(t: Template): string[][] {
  return t.parts.flatMap((p) => (typeof p !== 'string' && p.ref === 'security' ? [[...p.path]] : []));
}
