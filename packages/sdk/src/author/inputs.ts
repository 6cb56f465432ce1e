import type { Filter } from '@inlay/core';
import type {
  ComponentEventMeta,
  ComponentInputMeta,
  ComponentMeta,
  DatasetRef,
  MemberRef,
  TimeRangeValue,
} from '@inlay/core/dashboard-types';

export type {
  ComponentEventMeta,
  ComponentInputMeta,
  ComponentMeta,
  InputType,
} from '@inlay/core/dashboard-types';
export { INPUT_TYPES } from '@inlay/core/dashboard-types';

/** The time granularities of `/load` (kept equal to `@inlay/core`'s list by a test). */
export const TIME_GRANULARITIES = [
  'second',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'quarter',
  'year',
] as const;
export type TimeGranularity = (typeof TIME_GRANULARITIES)[number];

/** A resolved timeRange value: a range, a relative range, or null for "all time". */
export type TimeRange = TimeRangeValue | null;

/** The value a component receives for one input type (before `array`/`required` are applied). */
export interface InputValueByType {
  string: string;
  number: number;
  boolean: boolean;
  /** An ISO date or timestamp. */
  time: string;
  timeRange: TimeRange;
  granularity: TimeGranularity;
  filters: Filter[];
  dataset: DatasetRef;
  dimension: MemberRef;
  measure: MemberRef;
  dimensionOrMeasure: MemberRef;
}

type ScalarOf<I extends ComponentInputMeta> = I['type'] extends keyof InputValueByType
  ? InputValueByType[I['type']]
  : unknown;
type ArrayOf<I extends ComponentInputMeta> = I extends { array: true } ? ScalarOf<I>[] : ScalarOf<I>;

/** One input's value: an array when `array: true`; possibly undefined unless required or defaulted. */
export type InputValue<I extends ComponentInputMeta> = I extends { required: true }
  ? ArrayOf<I>
  : I extends { defaultValue: infer D }
    ? D extends null | undefined
      ? ArrayOf<I> | undefined
      : ArrayOf<I>
    : ArrayOf<I> | undefined;

/** `{ [input name]: value }` for a meta declared `as const` (or through `defineMeta`). */
export type InputsOf<M extends Pick<ComponentMeta, 'inputs'>> = {
  [I in M['inputs'][number] as I['name']]: InputValue<I>;
};

/**
 * Gives a meta its literal type without `as const`, so `InputsOf<typeof meta>` knows each input's
 * name and type (a component reading an undeclared input is then a type error).
 */
export function defineMeta<const M extends ComponentMeta>(meta: M): M {
  return meta;
}

// ---- Custom input types ------------------------------------------------------------------

/** A custom input type (Embeddable's `defineType`): a name the builder lists, with its options. */
export interface CustomType<T = unknown> {
  readonly name: string;
  readonly label: string;
  /** How the builder shows a value; `String(value)` when absent. */
  readonly format?: (value: T) => string;
  readonly options: CustomOption<T>[];
}

export interface CustomOption<T = unknown> {
  readonly type: string;
  readonly label: string;
  readonly value: T;
}

const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

export function defineType<T = unknown>(
  name: string,
  spec: { label: string; format?: (value: T) => string },
): CustomType<T> {
  if (!TYPE_NAME.test(name)) throw new TypeError(`defineType: '${name}' is not a valid type name`);
  return { name, label: spec.label, ...(spec.format ? { format: spec.format } : {}), options: [] };
}

/** Adds a choice to a custom type (the builder offers it as the input's value). */
export function defineOption<T>(type: CustomType<T>, value: T, label?: string): CustomOption<T> {
  const option = { type: type.name, label: label ?? type.format?.(value) ?? String(value), value };
  type.options.push(option);
  return option;
}

export type EventMeta = ComponentEventMeta;
