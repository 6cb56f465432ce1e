import { describe, expect, it } from 'vitest';
import { formatDate, formatNumber, formatValue, granularityOf, parseTime } from '../../src/author/index.js';

// Intl output uses narrow/no-break spaces in some locales; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const count = { type: 'number', title: 'Count', shortTitle: 'Count' };
const time = { type: 'time', title: 'Date', shortTitle: 'Date' };

describe('formatNumber / formatValue for numbers', () => {
  it('groups digits per locale', () => {
    expect(formatNumber(1234567.891, { locale: 'en-US' })).toBe('1,234,567.89');
    expect(plain(formatNumber(1234567.891, { locale: 'de-DE' }))).toBe('1.234.567,89');
    expect(plain(formatNumber(1234567.891, { locale: 'fr-FR' }))).toBe('1 234 567,89');
    expect(formatNumber(1234567, { locale: 'en-IN' })).toBe('12,34,567');
  });

  it('keeps the digits of integers beyond 2^53 sent as strings', () => {
    expect(formatNumber('12345678901234567890', { locale: 'en-US' })).toBe('12,345,678,901,234,567,890');
  });

  it('percent, currency, id and compact formats', () => {
    expect(formatValue(0.1234, { ...count, format: 'percent' }, { locale: 'en-US' })).toBe('12.3%');
    expect(plain(formatValue(0.1234, { ...count, format: 'percent' }, { locale: 'de-DE' }))).toBe('12,3 %');
    expect(formatValue(12.5, { ...count, format: 'currency' }, { locale: 'en-US' })).toBe('$12.50');
    expect(
      plain(formatValue(12.5, { ...count, format: 'currency' }, { locale: 'de-DE', currency: 'EUR' })),
    ).toBe('12,50 €');
    expect(formatValue(123456, { ...count, format: 'id' }, { locale: 'en-US' })).toBe('123456');
    expect(formatValue(12_345_678, count, { locale: 'en-US' }, { compact: true })).toBe('12.3M');
    expect(formatValue(999, count, { locale: 'en-US' }, { compact: true })).toBe('999');
    expect(formatValue('98765432109876543210', count, { locale: 'en-US' }, { compact: true })).toBe(
      '9.88E19',
    );
  });

  it('small values keep significant digits; null is a dash; text stays text', () => {
    expect(formatNumber(0.000123, { locale: 'en-US' })).toBe('0.000123');
    expect(formatValue(null, count)).toBe('–');
    expect(formatValue('CA', { type: 'string', title: 'State', shortTitle: 'State' })).toBe('CA');
  });

  it('falls back to en-US for a malformed locale', () => {
    expect(formatNumber(1000, { locale: 'not a locale!' })).toBe('1,000');
  });
});

describe('formatDate / formatValue for time dimensions', () => {
  it('prints /load local timestamps as written, whatever the client time zone', () => {
    const v = '2001-03-05T00:00:00.000';
    for (const timezone of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Pacific/Kiritimati']) {
      expect(formatValue(v, time, { locale: 'en-US', timezone }, { member: 'flights.date.day' })).toBe(
        'Mar 5, 2001',
      );
    }
  });

  it('formats per granularity and locale', () => {
    const v = '2001-03-05T14:30:00.000';
    const en = { locale: 'en-US' };
    expect(formatDate(v, en, { granularity: 'year' })).toBe('2001');
    expect(formatDate(v, en, { granularity: 'quarter' })).toBe('Q1 2001');
    expect(formatDate(v, en, { granularity: 'month' })).toBe('Mar 2001');
    expect(formatDate(v, en, { granularity: 'week' })).toBe('Mar 5, 2001');
    expect(plain(formatDate(v, en, { granularity: 'hour' }))).toBe('Mar 5, 2001, 2 PM');
    expect(plain(formatDate(v, en, { granularity: 'minute' }))).toBe('Mar 5, 2001, 2:30 PM');
    expect(formatDate(v, { locale: 'de-DE' }, { granularity: 'day' })).toBe('5. März 2001');
    expect(formatDate(v, { locale: 'ja-JP' }, { granularity: 'month' })).toBe('2001年3月');
    expect(formatDate(v, { locale: 'en-GB' }, { granularity: 'day' })).toBe('5 Mar 2001');
  });

  it('prints instants (with a zone) in the client time zone', () => {
    const v = '2001-03-05T02:00:00Z';
    expect(plain(formatDate(v, { locale: 'en-US', timezone: 'UTC' }, { granularity: 'hour' }))).toBe(
      'Mar 5, 2001, 2 AM',
    );
    expect(
      plain(formatDate(v, { locale: 'en-US', timezone: 'America/New_York' }, { granularity: 'hour' })),
    ).toBe('Mar 4, 2001, 9 PM');
    expect(formatDate(v, { locale: 'en-US', timezone: 'Not/AZone' }, { granularity: 'day' })).toBe(
      'Mar 5, 2001',
    );
  });

  it('without a granularity: midnight is a date, anything else a timestamp', () => {
    expect(formatDate('2001-03-05T00:00:00.000', { locale: 'en-US' })).toBe('Mar 5, 2001');
    expect(plain(formatDate('2001-03-05T08:15:00.000', { locale: 'en-US' }))).toBe('Mar 5, 2001, 8:15 AM');
  });

  it('parses what /load sends and rejects what it does not', () => {
    expect(parseTime('2001-03-05T00:00:00.000')?.wallClock).toBe(true);
    expect(parseTime('2001-03-05')?.date.toISOString()).toBe('2001-03-05T00:00:00.000Z');
    expect(parseTime('2001-03-05T00:00:00+02:00')?.wallClock).toBe(false);
    expect(parseTime('yesterday')).toBeNull();
    expect(formatDate('yesterday')).toBe('yesterday');
    expect(granularityOf('flights.date.week')).toBe('week');
    expect(granularityOf('flights.date')).toBeUndefined();
  });
});
