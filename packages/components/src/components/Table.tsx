import { defineComponent, useClientContext, useEmbeddableState } from '@inlay/react';
import { type DataResponse, formatNumber, formatValue, loadData, type MemberRef } from '@inlay/sdk';
import { useEffect } from 'react';
import { Frame, StateMessage, stateOf, useStableResponse } from '../shared/frame.js';
import { annotationOf, asList, memberKey, memberTitle } from '../shared/members.js';
import { baseStyles } from '../shared/styles.js';
import { csvFilename, downloadText, toCsv } from '../table/csv.js';
import { INITIAL_TABLE_STATE, nextSort, orderOf, type TableState, tableState } from '../table/state.js';

export const meta = {
  name: 'Table',
  label: 'Table',
  description: 'Rows of dimensions and measures: sortable, paged on the server, exportable as CSV.',
  category: 'Tables',
  defaultWidth: 6,
  defaultHeight: 5,
  inputs: [
    { name: 'ds', type: 'dataset', label: 'Dataset', required: true },
    {
      name: 'columns',
      type: 'dimensionOrMeasure',
      label: 'Columns',
      array: true,
      required: true,
      config: { dataset: 'ds' },
    },
    { name: 'title', type: 'string', label: 'Title' },
    { name: 'sortBy', type: 'dimensionOrMeasure', label: 'Sort by', config: { dataset: 'ds' } },
    { name: 'sortDirection', type: 'string', label: 'Sort direction (asc or desc)', defaultValue: 'desc' },
    { name: 'pageSize', type: 'number', label: 'Rows per page', defaultValue: 10 },
  ],
} as const;

/** Rows in one CSV export (through the same authorised `/load` as the table). */
export const EXPORT_LIMIT = 10_000;
const MAX_PAGE_SIZE = 500;

export interface TableProps {
  title?: string | undefined;
  columns: MemberRef[];
  pageSize: number;
  /** The order the query used (so headers show it before the reader picks one). */
  order?: { member: string; direction: 'asc' | 'desc' } | undefined;
  results?: DataResponse | undefined;
  /** Loaded only while an export is asked for: the whole query up to `EXPORT_LIMIT` rows. */
  exportResults?: DataResponse | undefined;
}

export function Table(props: TableProps) {
  const ctx = useClientContext();
  const [rawState, setState] = useEmbeddableState<TableState>(INITIAL_TABLE_STATE);
  const state = tableState(rawState);
  const { columns, results, pageSize, order, exportResults } = props;
  const { shown, reloading } = useStableResponse(results);

  useEffect(() => {
    if (!state.exporting || !exportResults || exportResults.isLoading) return;
    if (!exportResults.error && exportResults.data) {
      const cols = columns.map((c) => {
        const key = memberKey(c);
        return { key, title: memberTitle(c, annotationOf(exportResults.annotation, key)) };
      });
      downloadText(csvFilename(props.title), toCsv(cols, exportResults.data));
    }
    setState((s) => ({ ...tableState(s), exporting: false }));
  }, [state.exporting, exportResults, columns, props.title, setState]);

  if (columns.length === 0)
    return (
      <Frame title={props.title} className="inlay-table-widget">
        <p className="inlay-state">Choose at least one column.</p>
      </Frame>
    );

  const total = shown?.total;
  const rows = shown?.data ?? [];
  const pages = total !== undefined ? Math.max(1, Math.ceil(total / pageSize)) : undefined;
  const first = state.page * pageSize;
  const setPage = (page: number) => setState((s) => ({ ...tableState(s), page }));
  const sortBy = (c: MemberRef, isMeasure: boolean) =>
    setState((s) => ({ ...tableState(s), page: 0, sort: nextSort(order, c.name, isMeasure) }));

  return (
    <Frame title={props.title} className="inlay-table-widget">
      {stateOf(shown) === 'ready' ? (
        <div className="inlay-table-scroll">
          <table className="inlay-table" aria-busy={reloading ? 'true' : undefined}>
            {props.title ? <caption className="inlay-sr-only">{props.title}</caption> : null}
            <thead>
              <tr>
                {columns.map((c) => {
                  const key = memberKey(c);
                  const annotation = annotationOf(shown?.annotation, key);
                  const isMeasure = Boolean(shown?.annotation?.measures[key]);
                  const sorted = order?.member === c.name ? order.direction : undefined;
                  return (
                    <th
                      key={key}
                      scope="col"
                      className={isMeasure ? 'inlay-num' : undefined}
                      aria-sort={sorted ? (sorted === 'asc' ? 'ascending' : 'descending') : undefined}
                    >
                      <button type="button" className="inlay-sort" onClick={() => sortBy(c, isMeasure)}>
                        {memberTitle(c, annotation)}
                        <span aria-hidden="true" className="inlay-sort-mark">
                          {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                        </span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: result rows have no identity of their own
                <tr key={i}>
                  {columns.map((c) => {
                    const key = memberKey(c);
                    const annotation = annotationOf(shown?.annotation, key);
                    const numeric =
                      Boolean(shown?.annotation?.measures[key]) || annotation?.type === 'number';
                    return (
                      <td key={key} className={numeric ? 'inlay-num' : undefined}>
                        {formatValue(row[key], annotation, ctx, { member: key })}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <StateMessage response={shown} />
      )}
      <div className="inlay-table-footer">
        <p className="inlay-table-range" aria-live="polite">
          {rows.length > 0
            ? `${formatNumber(first + 1, ctx)}–${formatNumber(first + rows.length, ctx)}${
                total !== undefined ? ` of ${formatNumber(total, ctx)}` : ''
              }`
            : ''}
        </p>
        <button
          type="button"
          className="inlay-button"
          disabled={state.page === 0}
          onClick={() => setPage(state.page - 1)}
        >
          Previous
        </button>
        <button
          type="button"
          className="inlay-button"
          disabled={pages !== undefined ? state.page + 1 >= pages : rows.length < pageSize}
          onClick={() => setPage(state.page + 1)}
        >
          Next
        </button>
        <button
          type="button"
          className="inlay-button"
          disabled={state.exporting || rows.length === 0}
          onClick={() => setState((s) => ({ ...tableState(s), exporting: true }))}
        >
          {state.exporting ? 'Preparing CSV…' : 'Download CSV'}
        </button>
      </div>
      {exportResults?.error ? (
        <p className="inlay-state-error" role="alert">
          Export failed: {exportResults.error}
        </p>
      ) : null}
    </Frame>
  );
}

export default defineComponent(Table, meta, {
  props: (inputs, [rawState]) => {
    const state = tableState(rawState);
    const columns = asList(inputs.columns);
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(Number(inputs.pageSize) || 10)));
    const order = orderOf(state, inputs.sortBy, inputs.sortDirection);
    const ready = Boolean(inputs.ds) && columns.length > 0;
    const query = ready
      ? {
          from: inputs.ds,
          select: columns,
          ...(order ? { orderBy: [{ property: order.member, direction: order.direction }] } : {}),
        }
      : undefined;
    return {
      title: inputs.title,
      columns,
      pageSize,
      order,
      results: query
        ? loadData({ ...query, limit: pageSize, offset: state.page * pageSize, countRows: true })
        : undefined,
      exportResults: query && state.exporting ? loadData({ ...query, limit: EXPORT_LIMIT }) : undefined,
    };
  },
  styles: `${baseStyles}
.inlay-table-widget .inlay-body { display: flex; flex-direction: column; }
.inlay-table-scroll { flex: 1 1 auto; overflow: auto; min-height: 0; }
.inlay-table { width: 100%; border-collapse: collapse; font-size: 0.8125rem; font-variant-numeric: tabular-nums; }
.inlay-table[aria-busy="true"] tbody { opacity: 0.55; }
.inlay-table th, .inlay-table td { padding: 6px 8px; text-align: left; border-bottom: 1px solid var(--inlay-border, #d8dee4);
  max-width: 24ch; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.inlay-table thead th { position: sticky; top: 0; background: var(--inlay-surface, #fff); font-weight: 600; padding: 0; }
.inlay-table .inlay-num { text-align: right; }
.inlay-sort { all: unset; box-sizing: border-box; display: flex; gap: 4px; align-items: center; width: 100%;
  padding: 6px 8px; cursor: pointer; color: var(--inlay-fg, #1f2328); }
.inlay-num .inlay-sort { justify-content: flex-end; }
.inlay-sort:focus-visible { outline: 2px solid var(--inlay-accent, #2563eb); outline-offset: -2px; }
.inlay-sort-mark { font-size: 0.625rem; color: var(--inlay-accent, #2563eb); min-width: 0.75em; }
.inlay-table-footer { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; justify-content: flex-end;
  padding-top: 8px; }
.inlay-table-range { margin: 0 auto 0 0; font-size: 0.8125rem; color: var(--inlay-muted, #59636e); }
`,
});
