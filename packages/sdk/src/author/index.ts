// `@inlay/sdk`: what a component author imports. Framework-neutral and browser-safe (only types
// come from @inlay/core's node-side modules); the CLI and node helpers are `@inlay/sdk/node`.

export type { Annotation, Filter, MemberAnnotation, ResultValue } from '@inlay/core';
export type {
  ClientContext,
  ComponentDefinition,
  DataResponse,
  DatasetRef,
  LoadDataRequest,
  MemberRef,
  TimeRangeValue,
} from '@inlay/core/dashboard-types';
export {
  EMPTY_VALUE,
  type FormatOptions,
  formatDate,
  formatNumber,
  formatValue,
  granularityOf,
  type NumberFormatOptions,
  parseTime,
  toNumeric,
} from './format.js';
export {
  type ComponentEventMeta,
  type ComponentInputMeta,
  type ComponentMeta,
  type CustomOption,
  type CustomType,
  defineMeta,
  defineOption,
  defineType,
  INPUT_TYPES,
  type InputsOf,
  type InputType,
  type InputValue,
  type InputValueByType,
  TIME_GRANULARITIES,
  type TimeGranularity,
  type TimeRange,
} from './inputs.js';
export { DEFAULT_LIMIT, isLoadDataRequest, type LoadDataParams, loadData } from './load-data.js';
export {
  definePreview,
  type MockMember,
  mockDataResponse,
  mockDataset,
  mockDimension,
  mockMeasure,
  type Preview,
} from './preview.js';
export {
  DEFAULT_THEMES,
  defineTheme,
  resolveTheme,
  THEME_VARIABLES,
  type Theme,
  type ThemeInput,
  type ThemeMode,
  type ThemeVariable,
} from './theme.js';
export { hasNoValue, isNoFilter, type NoFilterValue, Value } from './value.js';
