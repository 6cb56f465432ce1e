/**
 * Value normalization shared by every driver: how integers, decimals, timestamps and dates look
 * once they leave a driver (see `CellValue` in @inlay/core).
 */

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** A whole number as a JS number when it is exact in a double, else as `bigint`. */
export function normalizeBigInt(value: bigint): number | bigint {
  return value <= MAX_SAFE && value >= MIN_SAFE ? Number(value) : value;
}

/** Integer text (e.g. PostgreSQL `int8`) → number when safe, else `bigint`. */
export function parseIntegerText(text: string): number | bigint {
  return normalizeBigInt(BigInt(text));
}

/** Decimal text → number. `NaN`, `Infinity` and `-Infinity` pass through as numbers too. */
export function parseDecimalText(text: string): number {
  return Number.parseFloat(text);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY-MM-DDTHH:mm:ss.SSS` of a `Date`'s UTC wall clock; `null` outside the 4-digit year range. */
export function naiveIsoFromDate(d: Date): string | null {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) return null;
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) return null;
  return (
    `${pad(year, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}

/** Microseconds since the epoch → naive ISO text (truncated to milliseconds, toward the past). */
export function naiveIsoFromMicros(micros: bigint): string | null {
  let ms = micros / 1000n;
  if (micros < 0n && micros % 1000n !== 0n) ms -= 1n; // floor, not truncation toward zero
  if (ms > 8_640_000_000_000_000n || ms < -8_640_000_000_000_000n) return null;
  return naiveIsoFromDate(new Date(Number(ms)));
}

/** Days since 1970-01-01 → `YYYY-MM-DD`; `null` when out of range. */
export function isoDateFromDays(days: number): string | null {
  const iso = naiveIsoFromDate(new Date(days * 86_400_000));
  return iso === null ? null : iso.slice(0, 10);
}

const TS_TEXT = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([+-]\d{2}(?::?\d{2}){0,2})?$/;

function millisPart(fraction: string | undefined): string {
  return (fraction ?? '').slice(0, 3).padEnd(3, '0');
}

/**
 * Timestamp text as PostgreSQL prints it (`2001-01-01 10:11:12.345678`, optionally with an
 * offset such as `+00`, `+05:30`) → naive ISO text of the stored wall clock (no offset) or of
 * the UTC wall clock (with an offset). Text that is not a plain timestamp (`infinity`, BC dates)
 * is returned unchanged.
 */
export function naiveIsoFromTimestampText(text: string): string {
  const m = TS_TEXT.exec(text);
  if (!m) return text;
  const [, date, time, fraction, offset] = m;
  const local = `${date}T${time}.${millisPart(fraction)}`;
  if (offset === undefined || /^[+-]00(?::?00){0,2}$/.test(offset)) return local;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(/:/g, '');
  const seconds =
    Number(digits.slice(0, 2)) * 3600 +
    Number(digits.slice(2, 4) || 0) * 60 +
    Number(digits.slice(4, 6) || 0);
  const utcMs = Date.parse(`${local}Z`) - sign * seconds * 1000;
  return naiveIsoFromDate(new Date(utcMs)) ?? text;
}
