/**
 * A chart's numbers as a visually hidden table: what a screen reader reads, what tests check and
 * what copy/paste gets. Cells are already formatted text.
 */
export function AccessibleTable(props: { caption: string; headers: string[]; rows: string[][] }) {
  return (
    <table className="inlay-sr-only">
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
                  {cell}
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
