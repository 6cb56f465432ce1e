import type { MemberAnnotation, ResultValue } from '@inlay/core';
import type { ClientContext } from '@inlay/core/dashboard-types';
import { TIME_GRANULARITIES, type TimeGranularity } from './inputs.js';

/**
 * Numbers and dates as a person reads them, with `Intl` in the client context's locale and time
 * zone. `/load` answers time dimensions as local timestamps (`2001-03-05T00:00:00.000`, already in
 * the query's time zone), so those are printed as written — never shifted by the browser's zone.
 */

const DEFAULT_LOCALE = 'en-US';
/** Shown for null and missing values. */
export const EMPTY_VALUE = '–';

export interface FormatOptions {
  /** A time value's granularity; taken from `member` (`flights.date.week`) when absent. */
  granularity?: TimeGranularity | string;
  /** The member key, used to find the granularity of a time dimension. */
  member?: string;
  /** Short form for big numbers (`1.2M`): KPIs and axis labels. */
  compact?: boolean;
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function localeOf(ctx: ClientContext | undefined): string {
  const locale = ctx?.locale;
  if (typeof locale !== 'string' || locale === '') return DEFAULT_LOCALE;
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

function timeZoneOf(ctx: ClientContext | undefined): string {
  const zone = ctx?.timezone;
  if (typeof zone !== 'string' || zone === '') return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

// Building an Intl formatter costs far more than using one; a table formats thousands of cells.
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let f = cache.get(key) as F | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(`d|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));
}

const DECIMAL = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/** A number, or a decimal string (`/load` sends integers beyond 2^53 as strings to keep digits). */
export function toNumeric(value: unknown): number | `${number}` | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString() as `${number}`;
  if (typeof value === 'string' && DECIMAL.test(value.trim())) {
    const n = Number(value);
    return Number.isSafeInteger(n) || !/^-?\d+$/.test(value.trim()) ? n : (value.trim() as `${number}`);
  }
  return null;
}

export interface NumberFormatOptions {
  /** A member's `format`: `percent` (a ratio, 0.25 → 25%), `currency`, `id` (digits as written). */
  format?: string;
  compact?: boolean;
  /** ISO 4217 code for `currency`; else the client context's `currency`, else USD. */
  currency?: string;
}

export function formatNumber(
  value: unknown,
  clientContext?: ClientContext,
  options: NumberFormatOptions = {},
): string {
  const n = toNumeric(value);
  if (n === null) return value === null || value === undefined ? EMPTY_VALUE : String(value);
  if (options.format === 'id') return String(n);
  const locale = localeOf(clientContext);
  const abs = Math.abs(Number(n));
  const o: Intl.NumberFormatOptions = {};
  if (options.format === 'percent') {
    o.style = 'percent';
    o.maximumFractionDigits = 1;
  } else if (options.format === 'currency') {
    o.style = 'currency';
    const currency = options.currency ?? clientContext?.currency;
    o.currency = typeof currency === 'string' && /^[A-Za-z]{3}$/.test(currency) ? currency : 'USD';
  } else if (abs !== 0 && abs < 0.01) {
    o.maximumSignificantDigits = 3;
  } else {
    o.maximumFractionDigits = 2;
  }
  if (options.compact && abs >= 10_000) {
    // Beyond trillions compact notation stops shortening (`98,765,432T`): scientific instead.
    o.notation = abs >= 1e15 ? 'scientific' : 'compact';
    o.maximumFractionDigits = o.notation === 'scientific' ? 2 : 1;
    delete o.maximumSignificantDigits;
  }
  return numberFormat(locale, o).format(n);
}

const LOCAL_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;

/**
 * A time value as a Date plus whether it is a wall-clock time (no zone: print it as written, in
 * UTC) or an instant (print it in the client's time zone).
 */
export function parseTime(value: unknown): { date: Date; wallClock: boolean } | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : { date: value, wallClock: false };
  if (typeof value === 'number') return { date: new Date(value), wallClock: false };
  if (typeof value !== 'string') return null;
  const m = LOCAL_TIMESTAMP.exec(value.trim());
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = m;
    const ms = Number(frac.padEnd(3, '0').slice(0, 3));
    const date = new Date(
      Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms),
    );
    return Number.isNaN(date.getTime()) ? null : { date, wallClock: true };
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : { date, wallClock: false };
}

/** `flights.date.week` → `week`; undefined when the key has no granularity suffix. */
export function granularityOf(member: string | undefined): TimeGranularity | undefined {
  const last = member?.split('.').pop();
  return (TIME_GRANULARITIES as readonly string[]).includes(last ?? '')
    ? (last as TimeGranularity)
    : undefined;
}

const BY_GRANULARITY: Record<string, Intl.DateTimeFormatOptions> = {
  year: { year: 'numeric' },
  month: { year: 'numeric', month: 'short' },
  week: { year: 'numeric', month: 'short', day: 'numeric' },
  day: { year: 'numeric', month: 'short', day: 'numeric' },
  hour: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric' },
  minute: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
  second: {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
  },
};

export function formatDate(
  value: unknown,
  clientContext?: ClientContext,
  options: { granularity?: string } = {},
): string {
  const parsed = parseTime(value);
  if (!parsed) return value === null || value === undefined ? EMPTY_VALUE : String(value);
  const locale = localeOf(clientContext);
  const timeZone = parsed.wallClock ? 'UTC' : timeZoneOf(clientContext);
  let granularity = options.granularity;
  if (!granularity || !(granularity in BY_GRANULARITY || granularity === 'quarter')) {
    // No (known) granularity: midnight values are dates, others timestamps.
    const t = dateFormat('en-US', {
      timeZone,
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    granularity = t.format(parsed.date) === '00:00:00' ? 'day' : 'minute';
  }
  if (granularity === 'quarter') {
    const year = dateFormat(locale, { timeZone, year: 'numeric' }).format(parsed.date);
    const month = Number(dateFormat('en-US', { timeZone, month: 'numeric' }).format(parsed.date));
    return `Q${Math.floor((month - 1) / 3) + 1} ${year}`;
  }
  return dateFormat(locale, { ...BY_GRANULARITY[granularity], timeZone }).format(parsed.date);
}

/**
 * One cell as text, by its member's annotation: time dimensions as dates at their granularity,
 * numbers with the member's `format`, anything else as written; null as `–`.
 */
export function formatValue(
  value: ResultValue | undefined,
  annotation?: Pick<MemberAnnotation, 'type'> & Partial<MemberAnnotation>,
  clientContext?: ClientContext,
  options: FormatOptions = {},
): string {
  if (value === null || value === undefined) return EMPTY_VALUE;
  const type = annotation?.type;
  if (type === 'time') {
    return formatDate(value, clientContext, {
      granularity: options.granularity ?? granularityOf(options.member),
    });
  }
  if (annotation?.format === 'id') return String(value);
  if (
    type === 'number' ||
    type === 'count' ||
    type === 'sum' ||
    type === 'avg' ||
    typeof value === 'number'
  ) {
    const currency = annotation?.meta?.currency;
    return formatNumber(value, clientContext, {
      ...(annotation?.format ? { format: annotation.format } : {}),
      ...(typeof currency === 'string' ? { currency } : {}),
      ...(options.compact ? { compact: true } : {}),
    });
  }
  if (typeof value === 'boolean') return String(value);
  return String(value);
}
