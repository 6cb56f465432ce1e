import type { LoadResponse, QueryInput } from '@inlay/core';
import type { PreviewAs } from './api.js';

/** Who asked for a load: reports name a request by its widget and dataset, not only its query. */
export interface LoadOrigin {
  widgetId: string;
  dataset?: string | undefined;
}

export type CacheLevel = 'l1' | 'l2' | 'none';

/**
 * The detail of `inlay:request`: one `POST /api/v1/load` the runtime made, once it settled.
 * Built from what the request and its answer already hold, so reporting keeps nothing alive.
 */
export interface RequestReport {
  /** The widget whose load sent the request; null for a load without an origin. */
  widgetId: string | null;
  /** Every widget that waited for it (identical loads in flight share one request). */
  widgetIds: string[];
  dataset: string | null;
  query: QueryInput;
  /** A preview's "view as" (what the body carried besides the query); absent with a token. */
  as?: PreviewAs;
  /** When it was sent (ISO). */
  startedAt: string;
  /** Until its answer was read (or it failed, or was aborted). */
  ms: number;
  /** `aborted`: nobody waited for it any more (variables changed, widget removed). */
  status: 'ok' | 'error' | 'aborted';
  /** The HTTP status; null when no answer came (network, abort). */
  httpStatus: number | null;
  /** Which level answered: `l1` result cache, `l2` pre-aggregation, `none` the database. */
  cache: CacheLevel | null;
  rows: number | null;
  total?: number;
  error: { message: string; hint?: string; code?: string } | null;
}

/** What the bridge noted when it sent the request. */
export interface SentLoad {
  query: QueryInput;
  as: PreviewAs | undefined;
  startedAt: number;
  /** `performance.now()` at sending. */
  started: number;
  origin: LoadOrigin | undefined;
  widgetIds: string[];
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The report of a settled request: `answer` when it succeeded, else the error it failed with. */
export function reportOf(
  sent: SentLoad,
  outcome: { answer: LoadResponse } | { error: unknown },
  now: number,
): RequestReport {
  const base = {
    widgetId: sent.origin?.widgetId ?? null,
    widgetIds: [...sent.widgetIds],
    dataset: sent.origin?.dataset ?? null,
    query: sent.query,
    ...(sent.as ? { as: sent.as } : {}),
    startedAt: new Date(sent.startedAt).toISOString(),
    ms: Math.round(now - sent.started),
  };
  if ('answer' in outcome) {
    const { answer } = outcome;
    const level = (answer as { cache?: { level?: unknown } }).cache?.level;
    return {
      ...base,
      status: 'ok',
      httpStatus: 200,
      cache: level === 'l1' || level === 'l2' || level === 'none' ? level : null,
      rows: Array.isArray(answer.data) ? answer.data.length : null,
      ...(typeof answer.total === 'number' ? { total: answer.total } : {}),
      error: null,
    };
  }
  const err = outcome.error;
  const aborted = (err as Error | undefined)?.name === 'AbortError';
  const detail = (err as { detail?: unknown } | undefined)?.detail;
  const body = typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {};
  const hint = text(body.hint);
  const code = text(body.code);
  return {
    ...base,
    status: aborted ? 'aborted' : 'error',
    httpStatus: typeof body.status === 'number' ? body.status : null,
    cache: null,
    rows: null,
    error: aborted
      ? null
      : {
          message: err instanceof Error ? err.message : String(err),
          ...(hint ? { hint } : {}),
          ...(code ? { code } : {}),
        },
  };
}
