/**
 * Calendar arithmetic for "compare with the previous period", on whole days (ISO `YYYY-MM-DD`
 * text, `to` inclusive, as the engine reads `[from, to]`). No clock and no time zone here: the
 * caller passes today's date in the query's time zone, so the same rules hold everywhere.
 *
 * The rules (also in the README):
 * - A relative range is read as the engine reads it: `last 30 days` is the 30 whole days before
 *   today; `this month` the whole current month; `last week` the Monday-to-Sunday week before
 *   this one. Ranges finer than a day (`last 6 hours`, `3 days ago`) get no comparison.
 * - `previous period` (the default): a range of whole calendar months (Feb 1–28, a quarter, a
 *   year, `this month`) is compared with as many whole months just before it (January; the
 *   quarter or year before); any other range with the same number of days just before it
 *   (Feb 10–19 → Jan 31–Feb 9; `last 30 days` → the 30 days before those).
 * - `previous week|month|quarter|year`: the same range one such unit earlier; a day past the end
 *   of the shorter month clamps to its last day (2000-02-29 → 1999-02-28), and a range ending on
 *   a month's last day ends on the last day of the shifted month.
 */

export type ComparisonShift = 'period' | 'week' | 'month' | 'quarter' | 'year';
/** Inclusive whole days. */
export interface Period {
  from: string;
  to: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;
const DAY_MS = 86_400_000;

function toUtc(date: string): number | undefined {
  const m = ISO_DATE.exec(date.trim());
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Reject 2001-02-30 and the like (Date.UTC rolls them over).
  return new Date(t).toISOString().slice(0, 10) === m[0] ? t : undefined;
}

const fromUtc = (t: number): string => new Date(t).toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return fromUtc((toUtc(date) ?? Number.NaN) + days * DAY_MS);
}

function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y!, m!, d!];
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `date` moved by whole months, the day clamped to the target month's length. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, daysInMonth(year, month)))}`;
}

const isMonthStart = (date: string) => parts(date)[2] === 1;
function isMonthEnd(date: string): boolean {
  const [y, m, d] = parts(date);
  return d === daysInMonth(y, m);
}
const monthEnd = (date: string) => {
  const [y, m] = parts(date);
  return `${pad(y, 4)}-${pad(m)}-${pad(daysInMonth(y, m))}`;
};

export function daysBetween(from: string, to: string): number {
  return Math.round(((toUtc(to) ?? Number.NaN) - (toUtc(from) ?? Number.NaN)) / DAY_MS);
}

function monthsIn(p: Period): number {
  const [fy, fm] = parts(p.from);
  const [ty, tm] = parts(p.to);
  return ty * 12 + tm - (fy * 12 + fm) + 1;
}

type Unit = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** The first day of the unit containing `date` (weeks start on Monday, as the engine's). */
export function startOf(date: string, unit: Unit): string {
  const [y, m] = parts(date);
  if (unit === 'day') return date;
  if (unit === 'week') {
    const weekday = (new Date(toUtc(date)!).getUTCDay() + 6) % 7; // Monday = 0
    return addDays(date, -weekday);
  }
  if (unit === 'month') return `${pad(y, 4)}-${pad(m)}-01`;
  if (unit === 'quarter') return `${pad(y, 4)}-${pad(m - ((m - 1) % 3))}-01`;
  return `${pad(y, 4)}-01-01`;
}

/** `date` moved by `n` units (months clamp). */
function addUnits(date: string, unit: Unit, n: number): string {
  if (unit === 'day') return addDays(date, n);
  if (unit === 'week') return addDays(date, 7 * n);
  return addMonths(date, n * (unit === 'month' ? 1 : unit === 'quarter' ? 3 : 12));
}

const UNIT = '(day|week|month|quarter|year)s?';
const RE_THIS = new RegExp(`^(this|last|next)\\s+${UNIT}$`);
const RE_LAST_N = new RegExp(`^(last|next)\\s+(\\d{1,4})\\s+${UNIT}$`);
const RE_FROM_TO = /^from\s+(\d{4}-\d{2}-\d{2})\s+to\s+(\d{4}-\d{2}-\d{2})$/;

/**
 * A Cube date range (`[from, to]` or a relative string) as whole days, `today` being the date in
 * the query's time zone. `undefined` when the range is not one of whole days.
 */
export function resolvePeriod(range: string | readonly string[], today: string): Period | undefined {
  const checked = (from: string, to: string) =>
    toUtc(from) !== undefined && toUtc(to) !== undefined && from <= to ? { from, to } : undefined;
  if (typeof range !== 'string') {
    if (range.length !== 2) return undefined;
    return checked(String(range[0]).slice(0, 10), String(range[1]).slice(0, 10));
  }
  const t = range.trim().toLowerCase();
  if (t === 'today') return { from: today, to: today };
  if (t === 'yesterday') return checked(addDays(today, -1), addDays(today, -1));
  if (t === 'tomorrow') return checked(addDays(today, 1), addDays(today, 1));
  const thisLastNext = RE_THIS.exec(t);
  if (thisLastNext) {
    const unit = thisLastNext[2] as Unit;
    const shift = thisLastNext[1] === 'this' ? 0 : thisLastNext[1] === 'last' ? -1 : 1;
    const start = startOf(addUnits(startOf(today, unit), unit, shift), unit);
    return checked(start, addDays(addUnits(start, unit, 1), -1));
  }
  const lastN = RE_LAST_N.exec(t);
  if (lastN) {
    const n = Number(lastN[2]);
    const unit = lastN[3] as Unit;
    if (n === 0) return undefined;
    if (lastN[1] === 'last') {
      const end = startOf(today, unit); // exclusive: the current unit is not part of "last N"
      return checked(addUnits(end, unit, -n), addDays(end, -1));
    }
    const start = addUnits(startOf(today, unit), unit, 1);
    return checked(start, addDays(addUnits(start, unit, n), -1));
  }
  const fromTo = RE_FROM_TO.exec(t);
  if (fromTo) return checked(fromTo[1]!, fromTo[2]!);
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return checked(t, t);
  return undefined;
}

/** The period to compare `p` with (rules at the top of this file). */
export function previousPeriod(p: Period, shift: ComparisonShift = 'period'): Period {
  if (shift === 'period') {
    if (isMonthStart(p.from) && isMonthEnd(p.to)) {
      const from = addMonths(p.from, -monthsIn(p));
      return { from, to: addDays(p.from, -1) };
    }
    const length = daysBetween(p.from, p.to) + 1;
    return { from: addDays(p.from, -length), to: addDays(p.from, -1) };
  }
  if (shift === 'week') return { from: addDays(p.from, -7), to: addDays(p.to, -7) };
  const months = shift === 'month' ? 1 : shift === 'quarter' ? 3 : 12;
  const to = addMonths(p.to, -months);
  return { from: addMonths(p.from, -months), to: isMonthEnd(p.to) ? monthEnd(to) : to };
}

/**
 * The `comparison` input: `true` or a string such as `previous period` / `previous year` →
 * the shift; `false`, empty, `none` → no comparison. Unknown words mean the previous period.
 */
export function comparisonShift(value: unknown): ComparisonShift | undefined {
  if (value === true) return 'period';
  if (typeof value !== 'string') return undefined;
  const t = value.trim().toLowerCase();
  if (t === '' || t === 'none' || t === 'false' || t === 'off') return undefined;
  for (const unit of ['week', 'month', 'quarter', 'year'] as const) if (t.includes(unit)) return unit;
  return 'period';
}

/** Today's date in `timeZone` (UTC when missing or unknown). */
export function todayIn(timeZone: string | undefined, now: Date = new Date()): string {
  let zone = 'UTC';
  if (timeZone) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      zone = timeZone;
    } catch {
      zone = 'UTC';
    }
  }
  const get = (type: string, parts: Intl.DateTimeFormatPart[]) => parts.find((x) => x.type === type)?.value;
  const p = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  return `${get('year', p)}-${get('month', p)}-${get('day', p)}`;
}
