// biome-ignore-all lint/suspicious/noArrayIndexKey: header levels, runs and measures are positional
import { defineComponent, useClientContext } from '@inlay/react';
import { type DataResponse, formatNumber, loadData, type MemberRef } from '@inlay/sdk';
import { useMemo } from 'react';
import { headerRuns, type PivotKey, toPivot, totalsOf } from '../pivot/shape.js';
import { Frame, StateMessage, stateOf, useStableResponse } from '../shared/frame.js';
import { asList } from '../shared/members.js';
import { baseStyles } from '../shared/styles.js';

export const meta = {
  name: 'PivotTable',
  label: 'Pivot table',
  description: 'Measures by row dimensions across column dimensions, with totals.',
  category: 'Tables',
  defaultWidth: 8,
  defaultHeight: 5,
  inputs: [
    { name: 'ds', type: 'dataset', label: 'Dataset', required: true },
    { name: 'rows', type: 'dimension', label: 'Rows', array: true, config: { dataset: 'ds' } },
    { name: 'columns', type: 'dimension', label: 'Columns', array: true, config: { dataset: 'ds' } },
    {
      name: 'measures',
      type: 'measure',
      label: 'Measures',
      array: true,
      required: true,
      config: { dataset: 'ds' },
    },
    { name: 'title', type: 'string', label: 'Title' },
    { name: 'totals', type: 'boolean', label: 'Show totals', defaultValue: true },
  ],
} as const;

/** Rows of the grouped query: row keys × column keys (the shape caps what it shows). */
export const PIVOT_LIMIT = 5000;

export interface PivotTableProps {
  title?: string | undefined;
  rows: MemberRef[];
  columns: MemberRef[];
  measures: MemberRef[];
  results?: DataResponse | undefined;
  /** By row key (the right-hand Total column); only with column dimensions. */
  rowTotals?: DataResponse | undefined;
  /** By column key (the Total row); only with row dimensions. */
  columnTotals?: DataResponse | undefined;
  /** Every measure over everything (the corner). */
  grandTotals?: DataResponse | undefined;
}

/** A total's text: '…' while it loads, '–' when it failed. */
const pending = (r: DataResponse | undefined) => (r?.error ? '–' : '…');

export function PivotTable(props: PivotTableProps) {
  const ctx = useClientContext();
  const { rows, columns, measures } = props;
  const { shown: results, reloading } = useStableResponse(props.results);
  const ready = stateOf(results) === 'ready' && results !== undefined;
  const pivot = useMemo(
    () => (ready ? toPivot(results, rows, columns, measures, ctx) : undefined),
    [ready, results, rows, columns, measures, ctx],
  );
  if (measures.length === 0)
    return (
      <Frame title={props.title} className="inlay-pivot-widget">
        <p className="inlay-state">Choose at least one measure.</p>
      </Frame>
    );
  if (!pivot)
    return (
      <Frame title={props.title} className="inlay-pivot-widget">
        <StateMessage response={results} />
      </Frame>
    );

  const rowTotal = totalsOf(props.rowTotals, rows, measures, ctx);
  const columnTotal = totalsOf(props.columnTotals, columns, measures, ctx);
  const grand = totalsOf(props.grandTotals, [], measures, ctx);
  const withTotalColumn = columns.length > 0 && props.rowTotals !== undefined;
  const withTotalRow = rows.length > 0 && props.grandTotals !== undefined;
  const M = measures.length;
  const C = columns.length;
  // Without row dimensions the single body row is "All"; the corner is one cell wide.
  const cornerWidth = Math.max(1, rows.length);
  const rowKeys: PivotKey[] = rows.length > 0 ? pivot.rowKeys : [{ id: '[]', labels: ['All'] }];
  const columnKeys: PivotKey[] = C > 0 ? pivot.columnKeys : [{ id: '[]', labels: [] }];
  const measureRow = M > 1 || C === 0;
  const caption = [
    props.title ?? pivot.measureTitles.join(', '),
    rows.length ? `by ${pivot.rowTitles.join(', ')}` : '',
    C ? `across ${pivot.columnTitles.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const rowTitleCells = rows.length
    ? pivot.rowTitles.map((t, i) => (
        <th key={`r${i}`} scope="col" className="inlay-pivot-corner">
          {t}
        </th>
      ))
    : [<td key="r" className="inlay-pivot-corner" />];

  return (
    <Frame title={props.title} className="inlay-pivot-widget">
      <div className="inlay-pivot-scroll">
        <table className="inlay-pivot" aria-busy={reloading ? 'true' : undefined}>
          <caption className="inlay-sr-only">{caption}</caption>
          <thead>
            {pivot.columnTitles.map((title, level) => {
              const last = level === C - 1 && !measureRow;
              return (
                <tr key={`c${level}`}>
                  {last ? (
                    rowTitleCells
                  ) : (
                    <th colSpan={cornerWidth} className="inlay-pivot-axis">
                      {title}
                    </th>
                  )}
                  {headerRuns(columnKeys, level).map((run, i) => (
                    <th
                      key={i}
                      colSpan={run.span * M}
                      scope={run.span * M > 1 ? 'colgroup' : 'col'}
                      className="inlay-num"
                    >
                      {run.label}
                    </th>
                  ))}
                  {withTotalColumn && level === 0 ? (
                    <th
                      colSpan={M}
                      rowSpan={C}
                      scope={M > 1 ? 'colgroup' : 'col'}
                      className="inlay-num inlay-pivot-total"
                    >
                      Total
                    </th>
                  ) : null}
                </tr>
              );
            })}
            {measureRow ? (
              <tr>
                {rowTitleCells}
                {[...columnKeys, ...(withTotalColumn ? [null] : [])].flatMap((k, ki) =>
                  pivot.measureTitles.map((t, m) => (
                    <th
                      key={`${ki}-${m}`}
                      scope="col"
                      className={k ? 'inlay-num' : 'inlay-num inlay-pivot-total'}
                    >
                      {t}
                    </th>
                  )),
                )}
              </tr>
            ) : null}
          </thead>
          <tbody>
            {rowKeys.map((row) => (
              <tr key={row.id}>
                {row.labels.map((label, i) => (
                  <th key={i} scope="row">
                    {label}
                  </th>
                ))}
                {columnKeys.flatMap((col) =>
                  measures.map((_, m) => (
                    <td key={`${col.id}-${m}`} className="inlay-num">
                      {pivot.cell(row, col, m)}
                    </td>
                  )),
                )}
                {withTotalColumn
                  ? measures.map((_, m) => (
                      <td key={`t${m}`} className="inlay-num inlay-pivot-total">
                        {(rows.length > 0 ? rowTotal?.(row.id, m) : grand?.('[]', m)) ??
                          pending(props.rowTotals)}
                      </td>
                    ))
                  : null}
              </tr>
            ))}
          </tbody>
          {withTotalRow ? (
            <tfoot>
              <tr>
                <th scope="row" colSpan={cornerWidth} className="inlay-pivot-total">
                  Total
                </th>
                {columnKeys.flatMap((col) =>
                  measures.map((_, m) => (
                    <td key={`${col.id}-${m}`} className="inlay-num inlay-pivot-total">
                      {(C > 0 ? columnTotal?.(col.id, m) : grand?.('[]', m)) ??
                        pending(props.columnTotals ?? props.grandTotals)}
                    </td>
                  )),
                )}
                {withTotalColumn
                  ? measures.map((_, m) => (
                      <td key={`g${m}`} className="inlay-num inlay-pivot-total">
                        {grand?.('[]', m) ?? pending(props.grandTotals)}
                      </td>
                    ))
                  : null}
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
      {pivot.hiddenRows || pivot.hiddenColumns ? (
        <p className="inlay-pivot-note" role="status">
          {[
            pivot.hiddenRows ? `${formatNumber(pivot.hiddenRows, ctx)} more rows` : '',
            pivot.hiddenColumns ? `${formatNumber(pivot.hiddenColumns, ctx)} more columns` : '',
          ]
            .filter(Boolean)
            .join(' and ')}{' '}
          not shown: filter the dashboard to see them.
        </p>
      ) : null}
    </Frame>
  );
}

export default defineComponent(PivotTable, meta, {
  props: (inputs) => {
    const rows = asList(inputs.rows);
    const columns = asList(inputs.columns);
    const measures = asList(inputs.measures);
    const ds = inputs.ds;
    const totals = inputs.totals !== false;
    const ready = Boolean(ds) && measures.length > 0;
    const load = (dimensions: MemberRef[], limit: number) =>
      loadData({
        from: ds,
        ...(dimensions.length ? { dimensions } : {}),
        measures,
        ...(dimensions.length
          ? { orderBy: dimensions.map((d) => ({ property: d, direction: 'asc' as const })) }
          : {}),
        limit,
      });
    return {
      title: inputs.title,
      rows,
      columns,
      measures,
      results: ready ? load([...rows, ...columns], PIVOT_LIMIT) : undefined,
      rowTotals:
        ready && totals && rows.length > 0 && columns.length > 0 ? load(rows, PIVOT_LIMIT) : undefined,
      columnTotals:
        ready && totals && rows.length > 0 && columns.length > 0 ? load(columns, PIVOT_LIMIT) : undefined,
      grandTotals: ready && totals && (rows.length > 0 || columns.length > 0) ? load([], 1) : undefined,
    };
  },
  // Own class names only: every component's CSS shares the embed's shadow root (the Table's
  // `.inlay-table` rules would reach a pivot using that class).
  styles: `${baseStyles}
.inlay-pivot-widget .inlay-body { display: flex; flex-direction: column; }
.inlay-pivot-scroll { flex: 1 1 auto; overflow: auto; min-height: 0; }
.inlay-pivot { width: 100%; border-collapse: collapse; font-size: 0.8125rem; font-variant-numeric: tabular-nums; }
.inlay-pivot[aria-busy="true"] tbody { opacity: 0.55; }
.inlay-pivot th, .inlay-pivot td { padding: 4px 6px; text-align: left; border-bottom: 1px solid var(--inlay-border, #d8dee4);
  white-space: nowrap; }
.inlay-pivot thead th { font-weight: 600; background: var(--inlay-surface, #fff); }
.inlay-pivot tbody th { font-weight: 500; }
.inlay-pivot .inlay-num { text-align: right; }
.inlay-pivot-axis { color: var(--inlay-muted, #59636e); font-weight: 500; text-align: right !important; }
.inlay-pivot-corner { vertical-align: bottom; }
.inlay-pivot .inlay-pivot-total { font-weight: 650; background: var(--inlay-bg, #f6f7f9); }
.inlay-pivot tfoot th, .inlay-pivot tfoot td { border-top: 2px solid var(--inlay-border, #d8dee4); border-bottom: 0; }
.inlay-pivot-note { margin: 6px 0 0; font-size: 0.75rem; color: var(--inlay-muted, #59636e); }
`,
});
