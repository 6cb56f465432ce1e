import { type ClientContext, type DataResponse, formatValue, type MemberRef, toNumeric } from '@inlay/sdk';
import { annotationOf, memberKey, memberTitle } from './members.js';

/** Rows of one category dimension and several measures, as a chart and its table need them. */
export interface CategorySeries {
  /** The dimension's values, formatted (axis labels and the table's row headers). */
  categories: string[];
  series: {
    key: string;
    name: string;
    values: (number | null)[];
    labels: string[];
    /** A comparison series: the index of the series it is the previous period of. */
    previousOf?: number;
  }[];
  dimensionTitle: string;
}

export function categorySeries(
  response: DataResponse,
  dimension: MemberRef,
  measures: MemberRef[],
  ctx: ClientContext,
): CategorySeries {
  const rows = response.data ?? [];
  const dKey = memberKey(dimension);
  const dAnnotation = annotationOf(response.annotation, dKey);
  return {
    dimensionTitle: memberTitle(dimension, dAnnotation),
    categories: rows.map((r) => formatValue(r[dKey], dAnnotation, ctx, { member: dKey })),
    series: measures.map((m) => {
      const key = memberKey(m);
      const annotation = annotationOf(response.annotation, key);
      return {
        key,
        name: memberTitle(m, annotation),
        values: rows.map((r) => {
          const n = toNumeric(r[key]);
          return n === null ? null : Number(n);
        }),
        labels: rows.map((r) => formatValue(r[key], annotation, ctx, { member: key })),
      };
    }),
  };
}

/** The same numbers as table rows: the category first, then each measure. */
export function seriesTable(s: CategorySeries): { headers: string[]; rows: string[][] } {
  return {
    headers: [s.dimensionTitle, ...s.series.map((x) => x.name)],
    rows: s.categories.map((c, i) => [c, ...s.series.map((x) => x.labels[i] ?? '')]),
  };
}
