import { describe, expect, it } from 'vitest';
import {
  isoDateFromDays,
  naiveIsoFromMicros,
  naiveIsoFromTimestampText,
  normalizeBigInt,
  parseDecimalText,
  parseIntegerText,
} from '../src/values.js';

describe('value normalization', () => {
  it('keeps safe integers as numbers and larger ones as bigint', () => {
    expect(normalizeBigInt(42n)).toBe(42);
    expect(normalizeBigInt(9007199254740991n)).toBe(9007199254740991);
    expect(normalizeBigInt(9007199254740992n)).toBe(9007199254740992n);
    expect(normalizeBigInt(-9007199254740992n)).toBe(-9007199254740992n);
    expect(parseIntegerText('-17')).toBe(-17);
    expect(parseIntegerText('123456789012345678901')).toBe(123456789012345678901n);
  });

  it('parses decimals as doubles', () => {
    expect(parseDecimalText('12.340')).toBe(12.34);
    expect(parseDecimalText('-0.5')).toBe(-0.5);
    expect(parseDecimalText('NaN')).toBeNaN();
  });

  it('formats microseconds as naive ISO, flooring to milliseconds', () => {
    expect(naiveIsoFromMicros(0n)).toBe('1970-01-01T00:00:00.000');
    expect(naiveIsoFromMicros(981173106789123n)).toBe('2001-02-03T04:05:06.789');
    // 1 µs before the epoch is still in the last millisecond of 1969.
    expect(naiveIsoFromMicros(-1n)).toBe('1969-12-31T23:59:59.999');
    expect(naiveIsoFromMicros(2n ** 62n)).toBeNull();
  });

  it('formats days as dates', () => {
    expect(isoDateFromDays(0)).toBe('1970-01-01');
    expect(isoDateFromDays(11356)).toBe('2001-02-03');
    expect(isoDateFromDays(-1)).toBe('1969-12-31');
  });

  it('reads PostgreSQL timestamp text, converting offsets to UTC', () => {
    expect(naiveIsoFromTimestampText('2001-02-03 04:05:06')).toBe('2001-02-03T04:05:06.000');
    expect(naiveIsoFromTimestampText('2001-02-03 04:05:06.7')).toBe('2001-02-03T04:05:06.700');
    expect(naiveIsoFromTimestampText('2001-02-03 04:05:06.789999')).toBe('2001-02-03T04:05:06.789');
    expect(naiveIsoFromTimestampText('2001-02-03 04:05:06.789+00')).toBe('2001-02-03T04:05:06.789');
    expect(naiveIsoFromTimestampText('2001-02-03 04:05:06+02')).toBe('2001-02-03T02:05:06.000');
    expect(naiveIsoFromTimestampText('2001-02-03 00:05:06-05:30')).toBe('2001-02-03T05:35:06.000');
    expect(naiveIsoFromTimestampText('2001-01-01 00:00:00+05:30:15')).toBe('2000-12-31T18:29:45.000');
    expect(naiveIsoFromTimestampText('infinity')).toBe('infinity');
    expect(naiveIsoFromTimestampText('0044-03-15 12:00:00 BC')).toBe('0044-03-15 12:00:00 BC');
  });
});
