import { createHash } from 'node:crypto';
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

/** A fixed-length key: sha256 over the parts as JSON (an array, so field order is fixed). */
export function resultKey(p: ResultKeyParts): string {
  const canonical = JSON.stringify(
    [
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
    ],
    paramJson,
  );
  return createHash('sha256').update(canonical).digest('base64url');
}
