import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THEMES,
  defineMeta,
  defineOption,
  definePreview,
  defineTheme,
  defineType,
  mockDataResponse,
  mockDimension,
  mockMeasure,
  resolveTheme,
  THEME_VARIABLES,
} from '../../src/author/index.js';

describe('themes', () => {
  it('defineTheme maps friendly keys to the --inlay variables', () => {
    const t = defineTheme({
      mode: 'dark',
      accent: '#f00',
      series: ['#111', '#222'],
      '--inlay-radius': '2px',
    });
    expect(t).toEqual({
      mode: 'dark',
      '--inlay-accent': '#f00',
      '--inlay-series-1': '#111',
      '--inlay-series-2': '#222',
      '--inlay-radius': '2px',
    });
    expect(() => defineTheme({ colour: 'red' } as never)).toThrow(/unknown key 'colour'/);
  });

  it('every mode defines every variable', () => {
    for (const mode of ['light', 'dark'] as const)
      expect(Object.keys(DEFAULT_THEMES[mode]).sort()).toEqual([...THEME_VARIABLES].sort());
  });

  it('resolveTheme: light by default, dark by name or object, own keys over defaults', () => {
    expect(resolveTheme(undefined).mode).toBe('light');
    expect(resolveTheme('dark').variables['--inlay-bg']).toBe(DEFAULT_THEMES.dark['--inlay-bg']);
    const r = resolveTheme({ mode: 'dark', accent: '#0f0', somethingElse: 1 });
    expect(r.mode).toBe('dark');
    expect(r.variables['--inlay-accent']).toBe('#0f0');
    expect(r.variables['--inlay-fg']).toBe(DEFAULT_THEMES.dark['--inlay-fg']);
  });
});

describe('previews and mocks', () => {
  it('mockDataResponse has the runtime shape, with annotation by member kind', () => {
    const state = mockDimension('airports.state');
    const week = mockDimension('flights.date', { type: 'time', granularity: 'week' });
    const count = mockMeasure('flights.count');
    const res = mockDataResponse(
      [state, week, count],
      [
        ['CA', '2001-01-01T00:00:00.000', 10],
        ['NY', '2001-01-08T00:00:00.000', 5],
      ],
      { total: 2 },
    );
    expect(res.isLoading).toBe(false);
    expect(res.total).toBe(2);
    expect(res.data?.[1]).toEqual({
      'airports.state': 'NY',
      'flights.date.week': '2001-01-08T00:00:00.000',
      'flights.count': 5,
    });
    expect(Object.keys(res.annotation?.timeDimensions ?? {})).toEqual(['flights.date.week']);
    expect(res.annotation?.measures['flights.count']?.title).toBe('Count');
    expect(week.inputs).toEqual({ granularity: 'week' });
    const p = definePreview('Comp', { data: res }, { label: 'Two states' });
    expect(p.label).toBe('Two states');
  });

  it('custom types collect their options', () => {
    const unit = defineType<string>('unit', { label: 'Unit' });
    defineOption(unit, 'km');
    defineOption(unit, 'mi', 'Miles');
    expect(unit.options.map((o) => o.label)).toEqual(['km', 'Miles']);
    expect(() => defineType('1bad', { label: 'x' })).toThrow();
    const meta = defineMeta({ name: 'X', label: 'X', inputs: [{ name: 'a', type: 'string', label: 'A' }] });
    expect(meta.inputs[0].name).toBe('a');
  });
});
