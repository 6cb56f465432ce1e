import { hash } from 'node:crypto';
import type { ParamValue } from '@inlay/core';

/** Everything that changes an answer. Two callers share an entry only when all of it is equal. */
export interface ResultKeyParts {
  workspace: string;
  environment: string;
  /** The connection the SQL runs on (name and version), or the rollup store for L2 answers. */
  connection: string;
  modelVersion: string;
  dialect: string;
  sql: string;
  params: readonly ParamValue[];
  total?: { sql: string; params: readonly ParamValue[] } | undefined;
  /** Response keys per column: the same SQL may answer to different member names (views). */
  columns: readonly (readonly string[])[];
  timezone: string;
}

/** Bigints have no JSON form; tagging them keeps `1n` and `"1"` apart. */
function paramJson(_: string, v: unknown): unknown {
  return typeof v === 'bigint' ? { $bigint: v.toString() } : v;
}

const isBigint = (v: unknown) => typeof v === 'bigint';

/** A fixed-length key: sha256 over the parts as JSON (an array, so field order is fixed). */
export function resultKey(p: ResultKeyParts): string {
  const parts = [
    p.workspace,
    p.environment,
    p.connection,
    p.modelVersion,
    p.dialect,
    p.timezone,
    p.sql,
    p.params,
    p.total?.sql ?? null,
    p.total?.params ?? null,
    p.columns,
  ];
  // A replacer makes JSON.stringify visit every value through a call; only bigints need one, and
  // without them it would return every value as it is, so the text (and the key) is the same.
  const bigints = p.params.some(isBigint) || p.total?.params.some(isBigint) === true;
  const canonical = bigints ? JSON.stringify(parts, paramJson) : JSON.stringify(parts);
  return hash('sha256', canonical, 'base64url');
}
