/**
 * A chart's numbers as a visually hidden table: what a screen reader reads, what tests check and
 * what copy/paste gets. Cells are already formatted text.
 */
export function AccessibleTable(props: {
  caption: string;
  headers: string[];
  rows: string[][];
  /**
   * The rows do something (a chart's click): each row header is a button, so a keyboard reaches
   * what a mouse clicks; the table shows itself while one of them has focus.
   */
  onRow?: ((index: number) => void) | undefined;
}) {
  const { onRow } = props;
  return (
    <table className={onRow ? 'inlay-sr-only inlay-row-actions' : 'inlay-sr-only'}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          {props.headers.map((h, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: headers are positional columns
            <th key={i} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row, r) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
          <tr key={r}>
            {row.map((cell, c) =>
              c === 0 ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                <th key={c} scope="row">
                  {onRow ? (
                    <button type="button" className="inlay-button" onClick={() => onRow(r)}>
                      {cell}
                    </button>
                  ) : (
                    cell
                  )}
                </th>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                <td key={c}>{cell}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
