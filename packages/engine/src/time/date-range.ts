import { InlayError } from '@inlay/core';
import { DateTime, type DateTimeUnit } from 'luxon';

/** A half-open UTC interval `[start, end)` as naive ISO text, ready to bind as timestamp parameters. */
export interface UtcRange {
  start: string;
  end: string;
}

const UNIT = '(second|minute|hour|day|week|month|quarter|year)s?';
const RE_THIS = new RegExp(`^(this|last|next)\\s+${UNIT}$`);
const RE_LAST_N = new RegExp(`^(last|next)\\s+(\\d{1,4})\\s+${UNIT}$`);
const RE_FROM_TO = /^from\s+(.+?)\s+to\s+(.+)$/;
const RE_AGO = new RegExp(`^(\\d{1,4})\\s+${UNIT}\\s+(ago|from now)$`);
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const FMT = "yyyy-MM-dd'T'HH:mm:ss.SSS";

export function toUtcText(dt: DateTime): string {
  return dt.toUTC().toFormat(FMT);
}

const zoneValidity = new Map<string, boolean>();

export function isValidZone(tz: string): boolean {
  let valid = zoneValidity.get(tz);
  if (valid === undefined) {
    valid = DateTime.now().setZone(tz).isValid;
    // Bounded: arbitrary strings from requests must not grow the cache without limit.
    if (zoneValidity.size < 1000) zoneValidity.set(tz, valid);
  }
  return valid;
}

/** Years 1–9999: what every supported database stores. */
function inRange(dt: DateTime): boolean {
  return dt.isValid && dt.year >= 1 && dt.year <= 9999;
}

function short(text: string): string {
  const q = JSON.stringify(text);
  return q.length > 40 ? `${q.slice(0, 37)}..."` : q;
}

function bad(text: string, path: string): InlayError {
  return new InlayError('QUERY_INVALID', `cannot read the date range ${short(text)}.`, {
    where: { path },
    hint: 'Use ["2024-01-01", "2024-01-31"], "today", "yesterday", "this|last|next week|month|quarter|year", "last 7 days", or "from 2024-01-01 to 2024-02-01".',
  });
}

/** The instant relative values start from, asked for only when a value is relative. */
type Now = () => DateTime;

/** Parses one point in time in `tz`; `asEnd` makes a date-only value mean the end of that day. */
function point(text: string, tz: string, now: Now, asEnd: boolean, path: string): DateTime {
  const t = text.trim().toLowerCase();
  const local = () => now().setZone(tz);
  const day = (d: DateTime) => (asEnd ? d.startOf('day').plus({ days: 1 }) : d.startOf('day'));
  if (t === 'now') return local();
  if (t === 'today') return day(local());
  if (t === 'yesterday') return day(local().minus({ days: 1 }));
  if (t === 'tomorrow') return day(local().plus({ days: 1 }));
  const ago = RE_AGO.exec(t);
  if (ago) {
    const n = Number(ago[1]) * (ago[3] === 'ago' ? -1 : 1);
    return local().plus({ [`${ago[2]}s`]: n });
  }
  const trimmed = text.trim();
  const dt = DateTime.fromISO(trimmed, { zone: tz });
  if (!inRange(dt) || !/^\d{4}-\d{2}-\d{2}/.test(trimmed)) throw bad(text, path);
  if (!asEnd) return dt;
  if (DATE_ONLY.test(trimmed)) return dt.plus({ days: 1 });
  // An end with a time is inclusive to its own precision.
  return /[.,]\d+/.test(trimmed) ? dt.plus({ milliseconds: 1 }) : dt.plus({ seconds: 1 });
}

function relativeRange(range: string, tz: string, nowDt: Now, path: string): [DateTime, DateTime] {
  const t = range.trim().toLowerCase();
  if (t === 'today' || t === 'yesterday' || t === 'tomorrow') {
    const start = point(t, tz, nowDt, false, path);
    return [start, start.plus({ days: 1 })];
  }
  const thisLastNext = RE_THIS.exec(t);
  if (thisLastNext) {
    const unit = thisLastNext[2] as DateTimeUnit;
    const shift = thisLastNext[1] === 'this' ? 0 : thisLastNext[1] === 'last' ? -1 : 1;
    const start = nowDt()
      .setZone(tz)
      .plus({ [`${unit}s`]: shift })
      .startOf(unit);
    return [start, start.plus({ [`${unit}s`]: 1 })];
  }
  const lastN = RE_LAST_N.exec(t);
  if (lastN) {
    const n = Number(lastN[2]);
    const unit = lastN[3] as DateTimeUnit;
    if (lastN[1] === 'last') {
      const end = nowDt().setZone(tz).startOf(unit);
      return [end.minus({ [`${unit}s`]: n }), end];
    }
    const start = nowDt()
      .setZone(tz)
      .startOf(unit)
      .plus({ [`${unit}s`]: 1 });
    return [start, start.plus({ [`${unit}s`]: n })];
  }
  const fromTo = RE_FROM_TO.exec(range.trim());
  if (fromTo) return [point(fromTo[1]!, tz, nowDt, false, path), point(fromTo[2]!, tz, nowDt, true, path)];
  if (DATE_ONLY.test(range.trim())) {
    const start = point(range, tz, nowDt, false, path);
    return [start, start.plus({ days: 1 })];
  }
  throw bad(range, path);
}

/**
 * Resolves a Cube date range in the query's time zone. Relative ranges follow Cube: `last 7 days`
 * is the seven whole days before today; `this month` is the whole current month. `now` may be a
 * function: it is then called only when the range is relative (a caller can tell which).
 */
export function resolveDateRange(
  range: string | readonly string[],
  tz: string,
  now: Date | (() => Date),
  path: string,
): UtcRange {
  // A compilation resolves the same range several times (the query, each rollup it is checked
  // against), each a few luxon parses: a range that never read the clock resolves alike for good.
  const key = JSON.stringify([tz, range]);
  const known = fixedRanges.get(key);
  if (known) return { ...known };
  let readNow = false;
  const resolved = resolveUncached(
    range,
    tz,
    () => {
      readNow = true;
      return typeof now === 'function' ? now() : now;
    },
    path,
  );
  if (!readNow) {
    // Bounded: ranges come from requests.
    if (fixedRanges.size >= FIXED_RANGES) fixedRanges.clear();
    fixedRanges.set(key, { ...resolved });
  }
  return resolved;
}

const FIXED_RANGES = 1_000;
const fixedRanges = new Map<string, UtcRange>();

function resolveUncached(
  range: string | readonly string[],
  tz: string,
  now: () => Date,
  path: string,
): UtcRange {
  const nowDt = () => DateTime.fromJSDate(now(), { zone: tz });
  let start: DateTime;
  let end: DateTime;
  if (typeof range !== 'string') {
    if (range.length !== 2) throw bad(JSON.stringify(range), path);
    start = point(range[0]!, tz, nowDt, false, `${path}[0]`);
    end = point(range[1]!, tz, nowDt, true, `${path}[1]`);
  } else {
    [start, end] = relativeRange(range, tz, nowDt, path);
  }
  if (end < start) {
    throw new InlayError('QUERY_INVALID', 'the date range ends before it starts.', {
      where: { path },
      hint: 'Swap the two dates.',
    });
  }
  return { start: toUtcText(start), end: toUtcText(end) };
}

/** One instant given as a filter value (`beforeDate`, `afterDate`, …), in `tz`, as naive UTC text. */
export function resolveInstant(value: string, tz: string, path: string): string {
  const trimmed = value.trim();
  const dt = DateTime.fromISO(trimmed, { zone: tz });
  if (!inRange(dt) || !/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    throw new InlayError('QUERY_INVALID', `cannot read the date ${short(value)}.`, {
      where: { path },
      hint: 'Use ISO 8601, e.g. "2024-01-31" or "2024-01-31T12:00:00".',
    });
  }
  return toUtcText(dt);
}
