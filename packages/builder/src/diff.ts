/**
 * What differs between two versions of a dashboard document: its title and description, and its
 * variables and datasets (by name) and widgets (by id), each added, removed or changed — a
 * changed one with the fields that changed (`position.x`, `inputs.measure`, `filters`). Pure: the
 * Compare panel shows it, test/diff.test.ts checks it.
 */
import type { DashboardDocument } from './api.js';

export interface TextChange {
  field: 'title' | 'description';
  from: string | undefined;
  to: string | undefined;
}

export interface ChangedItem {
  key: string;
  /** Paths of the fields that differ, sorted: `component`, `position.x`, `inputs.measure`. */
  fields: string[];
}

export interface ItemChanges {
  added: string[];
  removed: string[];
  changed: ChangedItem[];
}

export interface DocumentDiff {
  text: TextChange[];
  variables: ItemChanges;
  datasets: ItemChanges;
  widgets: ItemChanges;
  /** True when nothing above differs. */
  same: boolean;
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep equality of JSON values; key order does not matter, array order does. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]))
    );
  }
  if (!isPlain(a) || !isPlain(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!sameValue(a[key], b[key])) return false;
  return true;
}

/** Array items named by one of these keys are compared by it (`inputs.measure`), else as a whole. */
const ITEM_KEYS = ['input', 'name', 'event', 'member'] as const;

function keyedItems(list: unknown[]): Map<string, unknown> | undefined {
  for (const key of ITEM_KEYS) {
    if (!list.every((x) => isPlain(x) && typeof x[key] === 'string')) continue;
    const map = new Map(list.map((x) => [(x as Plain)[key] as string, x]));
    // The same name twice: no single item to point at.
    if (map.size === list.length) return map;
  }
  return undefined;
}

/** The paths under which `a` and `b` differ, at most `depth` levels down. */
export function changedFields(a: unknown, b: unknown, prefix = '', depth = 3): string[] {
  if (sameValue(a, b)) return [];
  const here = prefix ? [prefix] : [];
  const at = (key: string) => (prefix ? `${prefix}.${key}` : key);
  if (depth === 0) return here;
  if (isPlain(a) && isPlain(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) => changedFields(a[key], b[key], at(key), depth - 1));
  }
  if (Array.isArray(a) && Array.isArray(b) && prefix) {
    const before = keyedItems(a);
    const after = keyedItems(b);
    if (before && after) {
      const keys = [...new Set([...before.keys(), ...after.keys()])];
      const changed = keys.filter((key) => !sameValue(before.get(key), after.get(key))).map(at);
      // Same items, another order.
      return changed.length > 0 ? changed : here;
    }
  }
  return here;
}

function compareItems<T>(a: T[] | undefined, b: T[] | undefined, keyOf: (item: T) => string): ItemChanges {
  const before = new Map((a ?? []).map((x) => [keyOf(x), x]));
  const after = new Map((b ?? []).map((x) => [keyOf(x), x]));
  const changed: ChangedItem[] = [];
  for (const [key, item] of after) {
    const old = before.get(key);
    if (old === undefined) continue;
    const fields = changedFields(old, item);
    if (fields.length > 0) changed.push({ key, fields });
  }
  return {
    added: [...after.keys()].filter((key) => !before.has(key)),
    removed: [...before.keys()].filter((key) => !after.has(key)),
    changed,
  };
}

const empty = (c: ItemChanges) => c.added.length + c.removed.length + c.changed.length === 0;

/** How `to` differs from `from`. */
export function diffDocuments(from: DashboardDocument, to: DashboardDocument): DocumentDiff {
  const text: TextChange[] = [];
  for (const field of ['title', 'description'] as const) {
    if ((from[field] ?? '') !== (to[field] ?? '')) text.push({ field, from: from[field], to: to[field] });
  }
  const variables = compareItems(from.variables, to.variables, (v) => v.name);
  const datasets = compareItems(from.datasets, to.datasets, (d) => d.name);
  const widgets = compareItems(from.widgets, to.widgets, (w) => w.id);
  return {
    text,
    variables,
    datasets,
    widgets,
    same: text.length === 0 && empty(variables) && empty(datasets) && empty(widgets),
  };
}
