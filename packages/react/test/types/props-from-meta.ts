// A type test (tsd-style): the compiler is the test runner. Each `expectTypeOf` must hold and each
// `@ts-expect-error` line must be an error (an unused one is itself an error). `npm run typecheck`
// checks this file; `../props-from-meta.test.ts` also runs tsc on it, and on copies with one
// `@ts-expect-error` removed, to prove that each marked line really fails to compile.
import type { DataResponse, DatasetRef, InputsOf, MemberRef, TimeRange } from '@inlay/sdk';
import { defineMeta, loadData } from '@inlay/sdk';
import { expectTypeOf } from 'vitest';
import { defineComponent } from '../../src/index.js';

// The way `inlay init` writes a component's meta: `defineMeta`, no `as const`.
export const meta = defineMeta({
  name: 'Headline',
  label: 'Headline',
  inputs: [
    { name: 'ds', type: 'dataset', label: 'Dataset', required: true },
    { name: 'measure', type: 'measure', label: 'Measure', required: true, config: { dataset: 'ds' } },
    { name: 'breakdown', type: 'dimension', label: 'Breakdown', array: true, config: { dataset: 'ds' } },
    { name: 'extra', type: 'measure', label: 'More', array: true, required: true, config: { dataset: 'ds' } },
    { name: 'title', type: 'string', label: 'Title' },
    { name: 'digits', type: 'number', label: 'Digits', defaultValue: 0 },
    { name: 'range', type: 'timeRange', label: 'Range' },
  ],
});

type Inputs = InputsOf<typeof meta>;
expectTypeOf<Inputs['ds']>().toEqualTypeOf<DatasetRef>();
// A required measure is a MemberRef, never undefined.
expectTypeOf<Inputs['measure']>().toEqualTypeOf<MemberRef>();
// `array: true` gives an array; not required, so it may be absent.
expectTypeOf<Inputs['breakdown']>().toEqualTypeOf<MemberRef[] | undefined>();
expectTypeOf<Inputs['extra']>().toEqualTypeOf<MemberRef[]>();
// An optional string may be undefined; a default makes a value always present.
expectTypeOf<Inputs['title']>().toEqualTypeOf<string | undefined>();
expectTypeOf<Inputs['digits']>().toEqualTypeOf<number>();
expectTypeOf<Inputs['range']>().toEqualTypeOf<TimeRange | undefined>();
// Only the declared inputs exist.
expectTypeOf<keyof Inputs>().toEqualTypeOf<
  'ds' | 'measure' | 'breakdown' | 'extra' | 'title' | 'digits' | 'range'
>();

interface HeadlineProps {
  title?: string | undefined;
  measure: MemberRef;
  results: DataResponse;
  digits: number;
  onPick?: (member: string) => void;
}
const Headline = (_: HeadlineProps) => null;

// The happy path: each prop from the input of the matching type.
const definition = defineComponent(Headline, meta, {
  props: (inputs) => ({
    title: inputs.title,
    measure: inputs.measure,
    digits: inputs.digits,
    results: loadData({ from: inputs.ds, measures: [inputs.measure, ...inputs.extra], limit: 1 }),
  }),
  events: { onPick: (member) => ({ member }) },
});
// The definition keeps the meta's literal types (the builder and `inlay build` read them).
expectTypeOf(definition.meta.name).toEqualTypeOf<'Headline'>();
expectTypeOf(definition.Inner).parameter(0).toEqualTypeOf<HeadlineProps>();

defineComponent(Headline, meta, {
  props: (inputs) => ({
    // @ts-expect-error an optional input (string | undefined) for a prop the component requires
    measure: inputs.title,
    digits: inputs.digits,
    results: loadData({ from: inputs.ds, measures: [inputs.measure] }),
  }),
});

defineComponent(Headline, meta, {
  props: (inputs) => ({
    // @ts-expect-error an array input (MemberRef[] | undefined) where one MemberRef is wanted
    measure: inputs.breakdown,
    digits: inputs.digits,
    results: loadData({ from: inputs.ds, measures: [inputs.measure] }),
  }),
});

defineComponent(Headline, meta, {
  props: (inputs) => ({
    measure: inputs.measure,
    // @ts-expect-error 'subtitle' is no input of the meta
    title: inputs.subtitle,
    digits: inputs.digits,
    results: loadData({ from: inputs.ds, measures: [inputs.measure] }),
  }),
});

defineComponent(Headline, meta, {
  props: (inputs) => ({
    measure: inputs.measure,
    digits: inputs.digits,
    // @ts-expect-error `results` is data: config.props gives it as loadData(...), not as a response
    results: { isLoading: false, data: [] },
  }),
});

defineComponent(Headline, meta, {
  props: (inputs) => ({
    measure: inputs.measure,
    digits: inputs.digits,
    // @ts-expect-error a measure is no dataset: loadData's `from` takes the dataset input
    results: loadData({ from: inputs.measure, measures: [inputs.measure] }),
  }),
});

// Without config.props the runtime passes the inputs as they are, so the component must take them:
// Headline requires `results`, which no input gives.
// @ts-expect-error the component's props do not accept the meta's inputs
defineComponent(Headline, meta);
// @ts-expect-error nor with a config that has events but no props
defineComponent(Headline, meta, { events: { onPick: (member) => ({ member }) } });

// Optional props of the component may be left out of config.props.
defineComponent(Headline, meta, {
  props: (inputs) => ({
    measure: inputs.measure,
    digits: inputs.digits,
    results: loadData({ from: inputs.ds, measures: [inputs.measure] }),
  }),
});

// A component whose props are exactly the inputs needs no config.props.
const Plain = (_: { title?: string | undefined; measure: MemberRef }) => null;
defineComponent(Plain, {
  name: 'Plain',
  label: 'Plain',
  inputs: [
    { name: 'measure', type: 'measure', label: 'Measure', required: true },
    { name: 'title', type: 'string', label: 'Title' },
  ],
});
// The same component with the measure optional in the meta: `undefined` could reach a required
// prop, so config.props becomes mandatory.
// @ts-expect-error 'measure' may be undefined, but Plain requires it
defineComponent(Plain, {
  name: 'Plain',
  label: 'Plain',
  inputs: [
    { name: 'measure', type: 'measure', label: 'Measure' },
    { name: 'title', type: 'string', label: 'Title' },
  ],
});
