import type { ReactNode } from 'react';

/**
 * A Settings list: a labelled table whose header names `columns` plus a last, unnamed-on-screen
 * column for the row's actions; rows stack into cards on narrow screens (`stack`).
 */
export function ListTable(props: { label: string; columns: string[]; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className="table stack" aria-label={props.label}>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
