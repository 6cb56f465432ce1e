// Type tests: `npx tsc -p tsconfig.json` checks them (the @ts-expect-error lines must be errors);
// vitest only runs the trivial assertions.
import type { DataResponse, DatasetRef, MemberRef, TimeRange } from '@inlay/sdk';
import { loadData } from '@inlay/sdk';
import { describe, expectTypeOf, it } from 'vitest';
import { defineComponent } from '../src/index.js';

const meta = {
  name: 'Kpi',
  label: 'KPI',
  inputs: [
    { name: 'ds', type: 'dataset', label: 'Dataset', required: true },
    { name: 'measure', type: 'measure', label: 'Measure', required: true, config: { dataset: 'ds' } },
    { name: 'dims', type: 'dimension', label: 'Dimensions', array: true, config: { dataset: 'ds' } },
    { name: 'title', type: 'string', label: 'Title' },
    { name: 'range', type: 'timeRange', label: 'Range' },
    { name: 'size', type: 'number', label: 'Size', defaultValue: 10 },
  ],
} as const;

type Props = { title?: string; results: DataResponse; onPick?: (value: string) => void };
const Kpi = (_: Props) => null;

describe('props are typed from meta', () => {
  it('inputs have the types of their declared input types', () => {
    defineComponent(Kpi, meta, {
      props: (inputs) => {
        expectTypeOf(inputs.ds).toEqualTypeOf<DatasetRef>();
        expectTypeOf(inputs.measure).toEqualTypeOf<MemberRef>();
        expectTypeOf(inputs.dims).toEqualTypeOf<MemberRef[] | undefined>();
        expectTypeOf(inputs.title).toEqualTypeOf<string | undefined>();
        expectTypeOf(inputs.range).toEqualTypeOf<TimeRange | undefined>();
        expectTypeOf(inputs.size).toEqualTypeOf<number>();
        return { title: inputs.title, results: loadData({ from: inputs.ds, measures: [inputs.measure] }) };
      },
      events: { onPick: (value) => ({ value }) },
    });
  });

  it('reading an input the meta does not declare is a type error', () => {
    defineComponent(Kpi, meta, {
      props: (inputs) => ({
        // @ts-expect-error 'subtitle' is not an input of the meta
        title: inputs.subtitle,
        results: loadData({ from: inputs.ds, measures: [inputs.measure] }),
      }),
    });
  });

  it('a data prop must be given as loadData(...), and an event must be a callback prop', () => {
    defineComponent(Kpi, meta, {
      // @ts-expect-error `results` is a DataResponse prop: config.props gives a LoadDataRequest
      props: (inputs) => ({ title: inputs.title, results: 42 }),
      // @ts-expect-error onMissing is no callback prop of the component
      events: { onMissing: () => ({}) },
    });
  });
});
