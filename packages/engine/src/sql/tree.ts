import type { Fragment } from './fragment.js';

/** The statement shapes the render stage produces and a dialect prints. */

export interface Column {
  expr: Fragment;
  alias: string;
}

export type FromItem =
  | { kind: 'sql'; sql: Fragment; alias: string }
  | { kind: 'select'; select: Statement; alias: string };

export interface Join {
  type: 'LEFT' | 'INNER' | 'CROSS';
  item: FromItem;
  on?: Fragment;
}

export interface OrderItem {
  /** An output column alias of this select. */
  alias: string;
  desc: boolean;
}

export interface Select {
  kind: 'select';
  ctes?: { name: string; statement: Statement }[];
  distinct?: boolean;
  columns: Column[];
  /** `SELECT *` over the from item (used when wrapping). */
  star?: boolean;
  from?: FromItem;
  joins?: Join[];
  where?: Fragment;
  /** 1-based ordinals of the grouped columns; grouping by position keeps parameterised expressions identical. */
  groupBy?: number[];
  having?: Fragment;
  orderBy?: OrderItem[];
  limit?: number;
  offset?: number;
}

export interface Union {
  kind: 'union';
  all: boolean;
  selects: Select[];
}

export type Statement = Select | Union;
