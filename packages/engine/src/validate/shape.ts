import { InlayError, type ModelFileSpec, modelFileSchema } from '@inlay/core';
import type { z } from 'zod';
import type { ParsedFile } from '../model-files/parse.js';
import type { ProblemList } from './errors.js';
import { didYouMean } from './suggest.js';

/** Schema check of one file: unknown keys, wrong types, missing fields — each with its line. */
export function checkShape(file: ParsedFile, problems: ProblemList): ModelFileSpec | undefined {
  const result = modelFileSchema.safeParse(file.data ?? {});
  if (result.success) return result.data;
  for (const issue of result.error.issues) problems.add(issueToError(file, issue));
  return undefined;
}

function issueToError(file: ParsedFile, issue: z.core.$ZodIssue): InlayError {
  const at = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const owner = ownerOf(file.data, at);
  let message = issue.message;
  let hint: string | undefined;
  let pathForLine = at;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    pathForLine = [...at, key];
    const known = knownKeys(at);
    message = `unknown key '${key}'${issue.keys.length > 1 ? ` (and ${issue.keys.slice(1).join(', ')})` : ''}.`;
    hint = didYouMean(key, known) ?? (known.length ? `Allowed here: ${known.join(', ')}.` : undefined);
  } else if (issue.code === 'invalid_value') {
    message = `'${at.join('.')}' must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
    const value = valueAt(file.data, at);
    if (typeof value === 'string') hint = didYouMean(value, issue.values.map(String));
  } else {
    message = `'${at.join('.')}': ${issue.message}.`;
  }
  const line = file.lineOf(pathForLine);
  return new InlayError('MODEL_INVALID', message, {
    where: { file: file.path, ...(line ? { line } : {}), ...owner },
    ...(hint ? { hint } : {}),
  });
}

/** The cube/view and member a schema path points into, for the error's location. */
function ownerOf(data: unknown, at: (string | number)[]): { cube?: string; member?: string } {
  const out: { cube?: string; member?: string } = {};
  const entity = valueAt(data, at.slice(0, 2));
  const entityName = nameOf(entity);
  if (entityName) out.cube = entityName;
  if (at.length >= 4) {
    const member = nameOf(valueAt(data, at.slice(0, 4)));
    if (member) out.member = member;
  }
  return out;
}

function nameOf(v: unknown): string | undefined {
  return v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string'
    ? (v as { name: string }).name
    : undefined;
}

function valueAt(data: unknown, at: (string | number)[]): unknown {
  let cur = data;
  for (const p of at) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

/** Keys the schema allows at a path, for "did you mean" on unknown keys. */
function knownKeys(at: (string | number)[]): string[] {
  // biome-ignore lint/suspicious/noExplicitAny: walking zod's internal shape graph generically
  let schema: any = modelFileSchema;
  for (const p of at) {
    schema = unwrap(schema);
    if (typeof p === 'number') schema = schema?.def?.element;
    else schema = schema?.shape?.[p];
  }
  schema = unwrap(schema);
  return schema?.shape ? Object.keys(schema.shape) : [];
}

// biome-ignore lint/suspicious/noExplicitAny: see knownKeys
function unwrap(schema: any): any {
  let s = schema;
  for (let i = 0; i < 10 && s; i++) {
    const t = s.def?.type;
    if (t === 'optional' || t === 'default' || t === 'nullable') s = s.def.innerType;
    else if (t === 'lazy') s = s.def.getter();
    else if (t === 'union')
      s = s.def.options.find((o: { shape?: unknown }) => unwrap(o)?.shape) ?? s.def.options[0];
    else break;
  }
  return s;
}
