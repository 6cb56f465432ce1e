/**
 * Times as people read them: `3 minutes ago` (with the exact time for a tooltip and `<time>`), and
 * a date and time in the browser's locale.
 */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** `2026-01-01T10:00:00Z` → `5 minutes ago`; under 45 s, `just now`. */
export function relativeTime(iso: string, now = Date.now(), locale?: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const seconds = Math.round((at - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size * 0.9 || unit === 'minute') {
      return format.format(Math.round(seconds / size) || Math.sign(seconds), unit);
    }
  }
  return format.format(seconds, 'second');
}

/** A date and time, e.g. `Jan 5, 2026, 10:04 AM`. */
export function dateTime(iso: string, locale?: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}
