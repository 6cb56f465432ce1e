import type { StandardGranularity } from '@inlay/core';

export interface Duration {
  n: number;
  unit: StandardGranularity;
}

const UNITS: Record<string, StandardGranularity> = {
  second: 'second',
  minute: 'minute',
  hour: 'hour',
  day: 'day',
  week: 'week',
  month: 'month',
  quarter: 'quarter',
  year: 'year',
};

/** Parses `"7 day"`, `"2 weeks"`, `"1 year 3 months"` into counted units. */
export function parseDuration(text: string): Duration[] {
  const tokens = text.trim().toLowerCase().split(/\s+/);
  if (tokens.length === 0 || tokens.length % 2 !== 0)
    throw new Error(`cannot read the duration "${text}"; write e.g. "7 day".`);
  const out: Duration[] = [];
  for (let i = 0; i < tokens.length; i += 2) {
    const n = Number(tokens[i]);
    const unit = UNITS[tokens[i + 1]!.replace(/s$/, '')];
    if (!Number.isInteger(n) || !unit)
      throw new Error(`cannot read the duration "${text}"; write e.g. "7 day".`);
    out.push({ n, unit });
  }
  return out;
}
