import type { ComponentMeta } from '@inlay/core';
import { dashboardSchema } from '@inlay/core';
import { describe, expect, it, vi } from 'vitest';
import { Autosaver, ConflictError, type SaveState } from '../src/editor/autosave.js';
import {
  cubeOfInput,
  fillRequiredMembers,
  memberChoices,
  otherMemberChoices,
  parseDefault,
  valueText,
  variableChoices,
} from '../src/editor/choices.js';
import {
  addDataset,
  addVariable,
  addWidget,
  applyLayout,
  type Draft,
  EditError,
  ensureDatasetsFor,
  removeDataset,
  removeVariable,
  setDatasetFilters,
  setEventVariable,
  setInput,
  setTitle,
  widgetLabel,
} from '../src/editor/document.js';
import { canRedo, canUndo, record, redo, startHistory, undo } from '../src/editor/history.js';

const KPI: ComponentMeta = {
  name: 'KpiCard',
  label: 'KPI',
  defaultWidth: 4,
  defaultHeight: 2,
  inputs: [
    { name: 'ds', type: 'dataset', label: 'Dataset', required: true },
    {
      name: 'measure',
      type: 'measure',
      label: 'Measure',
      config: { dataset: 'ds', supportedTypes: ['number'] },
    },
    { name: 'title', type: 'string', label: 'Title', defaultValue: 'Total' },
  ],
};

const empty: Draft = { id: 'd', name: 'd', variables: [], datasets: [], widgets: [] };

/** Whatever the editor makes is a document the server accepts (the schema with its reference checks). */
const valid = (doc: Draft) => dashboardSchema.parse({ ...doc, version: 'draft' });

describe('editing a dashboard document', () => {
  it('places components with their defaults, under what is there, binding the only dataset', () => {
    let doc = addDataset(empty, { name: 'flights', model: 'flights' });
    const first = addWidget(doc, KPI);
    doc = first.doc;
    expect(first.id).toBe('kpi-card');
    expect(doc.widgets[0]).toMatchObject({
      position: { x: 0, y: 0 },
      dimensions: { width: 4, height: 2 },
      inputs: [
        { input: 'ds', valueType: 'VALUE', value: 'flights' },
        { input: 'title', valueType: 'VALUE', value: 'Total' },
      ],
    });
    const second = addWidget(doc, KPI);
    expect(second.id).toBe('kpi-card-2');
    expect(second.doc.widgets[1]!.position).toEqual({ x: 0, y: 2 });
    expect(
      addWidget(second.doc, { ...KPI, defaultWidth: 20 }, { x: 10, y: 0 }).doc.widgets[2]!.position.x,
    ).toBe(0);
    valid(second.doc);
  });

  it('moves and resizes from the grid; an unchanged layout is the same document', () => {
    const { doc } = addWidget(empty, KPI);
    expect(applyLayout(doc, [{ i: 'kpi-card', x: 0, y: 0, w: 4, h: 2 }])).toBe(doc);
    const moved = applyLayout(doc, [{ i: 'kpi-card', x: 6, y: 1, w: 6, h: 3 }]);
    expect(moved.widgets[0]).toMatchObject({ position: { x: 6, y: 1 }, dimensions: { width: 6, height: 3 } });
    expect(doc.widgets[0]!.position).toEqual({ x: 0, y: 0 });
  });

  it('refuses to remove a dataset or a variable still in use, saying where', () => {
    let doc = addDataset(empty, { name: 'flights', model: 'flights' });
    doc = addVariable(doc, {
      name: 'range',
      type: 'timeRange',
      defaultValue: { relativeTimeString: 'Last 30 days' },
    });
    doc = setDatasetFilters(doc, 'flights', [
      { member: 'flights.date', operator: 'inDateRange', value: 'range', valueType: 'VARIABLE' },
    ]);
    doc = addWidget(doc, KPI).doc;
    valid(doc);
    expect(() => removeVariable(doc, 'range')).toThrow(
      new EditError("variable 'range' is used by dataset flights"),
    );
    expect(() => removeDataset(doc, 'flights')).toThrow(/used by widget kpi-card/);
    const unbound = setDatasetFilters(doc, 'flights', []);
    expect(removeVariable(unbound, 'range').variables).toEqual([]);
    expect(() => addDataset(doc, { name: 'flights', model: 'x' })).toThrow(/exists/);
  });

  it('sets and clears inputs; variables bound to inputs count as uses', () => {
    let doc = addVariable(addDataset(empty, { name: 'f', model: 'flights' }), {
      name: 'g',
      type: 'granularity',
    });
    doc = addWidget(doc, KPI).doc;
    doc = setInput(doc, 'kpi-card', 'title', { valueType: 'VARIABLE', value: 'g' });
    expect(() => removeVariable(doc, 'g')).toThrow(/widget kpi-card/);
    doc = setInput(doc, 'kpi-card', 'title', undefined);
    expect(doc.widgets[0]!.inputs.map((i) => i.input)).toEqual(['ds']);
    expect(() => setInput(doc, 'nope', 'title', undefined)).toThrow(/no widget 'nope'/);
  });
});

describe('undo and redo', () => {
  it('walks back and forth; a new change drops the redo steps; a no-op is no step', () => {
    let h = startHistory(empty);
    const one = addWidget(empty, KPI).doc;
    h = record(h, one);
    const two = addWidget(one, KPI).doc;
    h = record(h, two);
    expect(record(h, h.present)).toBe(h);
    h = undo(h);
    expect(h.present).toBe(one);
    expect(canRedo(h)).toBe(true);
    h = undo(h);
    expect(h.present).toBe(empty);
    expect(canUndo(h)).toBe(false);
    h = redo(h);
    expect(h.present).toBe(one);
    h = record(h, addDataset(one, { name: 'x', model: 'flights' }));
    expect(canRedo(h)).toBe(false);
  });
});

describe('input choices', () => {
  const cube = {
    name: 'flights',
    title: 'Flights',
    measures: [
      { name: 'flights.count', title: 'Count', type: 'number' },
      { name: 'flights.carriers', title: 'Carriers', type: 'string' },
    ],
    dimensions: [
      { name: 'flights.date', title: 'Date', type: 'time' },
      { name: 'flights.origin', title: 'Origin', type: 'string' },
    ],
  };
  it('offers only members that fit the input’s kind and supported types', () => {
    expect(memberChoices(KPI.inputs[1]!, cube).map((m) => m.name)).toEqual(['flights.count']);
    const dim = { name: 'x', type: 'dimension', label: 'X', config: { supportedTypes: ['time'] } };
    expect(memberChoices(dim, cube).map((m) => m.name)).toEqual(['flights.date']);
    expect(memberChoices({ name: 'y', type: 'dimensionOrMeasure', label: 'Y' }, cube)).toHaveLength(4);
    expect(memberChoices({ name: 't', type: 'string', label: 'T' }, cube)).toEqual([]);
  });
  it('offers variables of the same type and arity, and finds the cube through the dataset input', () => {
    let doc = addDataset(empty, { name: 'f', model: 'flights' });
    doc = addVariable(doc, { name: 'one', type: 'string' });
    doc = addVariable(doc, { name: 'many', type: 'string', array: true });
    expect(variableChoices(doc, { type: 'string' }).map((v) => v.name)).toEqual(['one']);
    expect(variableChoices(doc, { type: 'string', array: true }).map((v) => v.name)).toEqual(['many']);
    doc = addWidget(doc, KPI).doc;
    expect(cubeOfInput(doc, doc.widgets[0]!.inputs, 'ds')).toBe('flights');
  });
  it('fills a new widget’s required member inputs with the first fitting member, and nothing else', () => {
    const meta: ComponentMeta = {
      ...KPI,
      inputs: [
        KPI.inputs[0]!,
        { ...KPI.inputs[1]!, required: true },
        {
          name: 'by',
          type: 'dimension',
          label: 'By',
          required: true,
          config: { dataset: 'ds', supportedTypes: ['string'] },
        },
        {
          name: 'more',
          type: 'measure',
          label: 'More',
          array: true,
          required: true,
          config: { dataset: 'ds' },
        },
        { name: 'optional', type: 'dimension', label: 'Optional', config: { dataset: 'ds' } },
      ],
    };
    const doc = addDataset(empty, { name: 'f', model: 'flights' });
    const added = addWidget(doc, meta);
    // A key is never the guess for a category, even when it comes first.
    const keyed = {
      ...cube,
      dimensions: [{ name: 'flights.id', title: 'Id', type: 'string' }, ...cube.dimensions],
    };
    const filled = fillRequiredMembers(added.doc, added.id, meta, [keyed]);
    const inputs = Object.fromEntries(filled.widgets[0]!.inputs.map((i) => [i.input, i.value]));
    expect(inputs).toEqual({
      ds: 'f',
      measure: 'flights.count',
      by: 'flights.origin',
      more: ['flights.count'],
    });
    expect(valid(filled).widgets[0]!.inputs.find((i) => i.input === 'more')?.array).toBe(true);
    // A value already chosen stays; without a dataset (or a cube that has nothing fitting) nothing is guessed.
    const chosen = setInput(added.doc, added.id, 'measure', {
      inputType: 'measure',
      valueType: 'VALUE',
      value: 'flights.carriers',
    });
    expect(
      fillRequiredMembers(chosen, added.id, meta, [cube]).widgets[0]!.inputs.find(
        (i) => i.input === 'measure',
      )?.value,
    ).toBe('flights.carriers');
    const unbound = addWidget(empty, meta);
    expect(fillRequiredMembers(unbound.doc, unbound.id, meta, [cube])).toBe(unbound.doc);
  });
});

describe('autosave', () => {
  it('debounces, saves one at a time on the newest base, and stops at a conflict', async () => {
    vi.useFakeTimers();
    try {
      const states: SaveState['status'][] = [];
      const saves: [string, string | null][] = [];
      let fail: Error | undefined;
      const saver = new Autosaver(
        async (doc, base) => {
          saves.push([doc.name, base]);
          if (fail) throw fail;
          return `t${saves.length}`;
        },
        't0',
        (s) => states.push(s.status),
        500,
      );
      saver.schedule({ ...empty, name: 'a' });
      saver.schedule({ ...empty, name: 'b' });
      await vi.advanceTimersByTimeAsync(600);
      expect(saves).toEqual([['b', 't0']]);
      saver.schedule({ ...empty, name: 'c' });
      await saver.flush();
      expect(saves.at(-1)).toEqual(['c', 't1']);
      expect(saver.state).toMatchObject({ status: 'saved', savedAt: 't2' });

      fail = new Error('network down');
      saver.schedule({ ...empty, name: 'd' });
      await saver.flush();
      expect(saver.state).toMatchObject({ status: 'error', message: 'network down' });
      fail = undefined;
      await saver.flush();
      expect(saves.at(-1)).toEqual(['d', 't2']);

      fail = new ConflictError('changed elsewhere');
      saver.schedule({ ...empty, name: 'e' });
      await saver.flush();
      expect(saver.state.status).toBe('conflict');
      saver.schedule({ ...empty, name: 'f' });
      await vi.advanceTimersByTimeAsync(600);
      expect(saves.at(-1)![0]).toBe('e');
      expect(states).toContain('saving');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('title, labels, events and typed defaults', () => {
  it('sets and clears the title; the same title is the same document', () => {
    const titled = setTitle(empty, '  Flights  ');
    expect(titled.title).toBe('Flights');
    expect(setTitle(titled, 'Flights')).toBe(titled);
    expect('title' in setTitle(titled, ' ')).toBe(false);
  });

  it('names a widget by its title input, else its id', () => {
    const { doc } = addWidget(empty, KPI);
    expect(widgetLabel(doc.widgets[0]!)).toBe('Total');
    expect(widgetLabel(setInput(doc, 'kpi-card', 'title', undefined).widgets[0]!)).toBe('kpi-card');
  });

  it('points an event at a variable and clears it', () => {
    let doc = addVariable(empty, { name: 'range', type: 'timeRange' });
    doc = addWidget(doc, { name: 'DateRangePicker', label: 'Picker', inputs: [] }).doc;
    doc = setEventVariable(doc, 'date-range-picker', 'onChange', 'range', 'value');
    expect(doc.widgets[0]!.events).toEqual([
      {
        event: 'onChange',
        action: 'SET_VARIABLE',
        config: { variable: 'range', sourceType: 'EVENT_PROPERTY', sourceValue: 'value' },
      },
    ]);
    valid(doc);
    expect(() => removeVariable(doc, 'range')).toThrow(/widget date-range-picker/);
    doc = setEventVariable(doc, 'date-range-picker', 'onChange', undefined, undefined);
    expect(doc.widgets[0]!.events).toBeUndefined();
    expect(() => setEventVariable(doc, 'nope', 'onChange', 'range', 'value')).toThrow(EditError);
  });

  it('offers the members of other cubes (reached by joins), grouped, without the dataset’s own', () => {
    const flights = {
      name: 'flights',
      title: 'Flights',
      measures: [{ name: 'flights.count', title: 'Count', type: 'number' }],
      dimensions: [{ name: 'flights.date', title: 'Date', type: 'time' }],
    };
    const airports = {
      name: 'airports',
      title: 'Airports',
      measures: [],
      dimensions: [{ name: 'airports.state', title: 'State', type: 'string' }],
    };
    const dimension = { name: 'd', type: 'dimension', label: 'D' };
    expect(otherMemberChoices(dimension, [flights, airports], 'flights')).toEqual([
      {
        cube: airports,
        members: [{ name: 'airports.state', title: 'State', type: 'string', kind: 'dimension' }],
      },
    ]);
    expect(otherMemberChoices({ ...dimension, type: 'measure' }, [flights, airports], 'flights')).toEqual([]);
  });

  it('reads typed default values and shows them back', () => {
    expect(parseDefault('number', '2.5')).toEqual({ value: 2.5 });
    expect(parseDefault('number', 'x').error).toMatch(/number/);
    expect(parseDefault('boolean', 'true')).toEqual({ value: true });
    expect(parseDefault('boolean', 'yes').error).toBeDefined();
    expect(parseDefault('timeRange', 'last 30 days')).toEqual({
      value: { relativeTimeString: 'last 30 days' },
    });
    expect(parseDefault('timeRange', '2001-02-01..2001-02-28')).toEqual({
      value: { from: '2001-02-01', to: '2001-02-28' },
    });
    expect(parseDefault('string', '  ')).toEqual({});
    expect(valueText({ from: '2001-02-01', to: '2001-02-28' })).toBe('2001-02-01..2001-02-28');
    expect(valueText({ relativeTimeString: 'last 7 days' })).toBe('last 7 days');
    expect(valueText(null)).toBe('');
    expect(valueText(3)).toBe('3');
  });
});

describe('datasets for joined members', () => {
  it('adds a dataset for each cube no dataset reads, once, with a free name', () => {
    let doc = addDataset(empty, { name: 'flights', model: 'flights' });
    doc = addDataset(doc, { name: 'airports', model: 'destinations' });
    const next = ensureDatasetsFor(doc, ['flights.count', 'airports.state', 'airports.city']);
    expect(next.datasets).toEqual([
      { name: 'flights', model: 'flights' },
      { name: 'airports', model: 'destinations' },
      { name: 'airports_2', model: 'airports' },
    ]);
    expect(ensureDatasetsFor(next, ['airports.state', 'flights.date'])).toBe(next);
    valid(next);
  });
});
