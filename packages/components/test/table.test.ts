// @vitest-environment happy-dom
import { type LoadDataRequest, mockDataResponse, type ResultValue } from '@inlay/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Table, { EXPORT_LIMIT } from '../src/components/Table.js';
import { toCsv } from '../src/table/csv.js';
import { count, destination, ds, failed, loading } from './fixtures.js';
import { renderWidget, text } from './harness.js';
import { mountWidget } from './mini-runtime.js';

// 23 destinations with distinct counts: the ground truth the fake /load sorts and pages.
const ALL: [string, number][] = Array.from({ length: 23 }, (_, i) => [
  `D${String(i).padStart(2, '0')}`,
  1000 + i * 37,
]);

function answer(request: LoadDataRequest) {
  const order = request.orderBy?.[0];
  const rows = [...ALL];
  if (order) {
    const col = order.property === 'flights.count' ? 1 : 0;
    rows.sort(
      (a, b) => (a[col] < b[col] ? -1 : a[col] > b[col] ? 1 : 0) * (order.direction === 'asc' ? 1 : -1),
    );
  }
  const offset = request.offset ?? 0;
  const page = rows.slice(offset, offset + (request.limit ?? 100)) as ResultValue[][];
  return mockDataResponse([destination, count], page, request.countRows ? { total: ALL.length } : {});
}

const inputs = {
  ds,
  columns: [destination, count],
  title: 'Top destinations',
  sortBy: count,
  sortDirection: 'desc',
  pageSize: 10,
};
const bodyRows = (root: Element) =>
  [...root.querySelectorAll('table.inlay-table tbody tr')].map((tr) =>
    [...tr.children].map((c) => c.textContent),
  );

afterEach(() => vi.restoreAllMocks());

describe('Table', () => {
  it('is a real table with formatted cells, headers naming the sort, the range of rows shown', () => {
    const { root, requests } = renderWidget(Table, inputs, {
      results: answer(renderWidget(Table, inputs).requests.results!),
    });
    expect(requests.results).toMatchObject({
      select: [destination, count],
      orderBy: [{ property: 'flights.count', direction: 'desc' }],
      limit: 10,
      offset: 0,
      countRows: true,
    });
    expect(requests.exportResults).toBeUndefined();
    const headers = [...root.querySelectorAll('table.inlay-table th')];
    expect(headers.map((h) => h.textContent?.replace(/[▲▼]/g, ''))).toEqual([
      'Destination airport',
      'Flights count',
    ]);
    expect(headers[1]?.getAttribute('aria-sort')).toBe('descending');
    expect(bodyRows(root)[0]).toEqual(['D22', '1,814']);
    expect(bodyRows(root)).toHaveLength(10);
    expect(text(root)).toContain('1–10 of 23');
  });

  it('sorting by a header and paging refetch through the runtime state', async () => {
    const w = await mountWidget(Table, inputs, answer);
    const table = () => w.container.querySelector('table.inlay-table')!;
    expect(bodyRows(table())[0]).toEqual(['D22', '1,814']);

    await w.click(w.container.querySelectorAll('thead button')[0]); // Destination: ascending first
    expect(w.requests.at(-1)?.request.orderBy).toEqual([
      { property: 'flights.destination', direction: 'asc' },
    ]);
    expect(bodyRows(table())[0]).toEqual(['D00', '1,000']);
    expect(table().querySelectorAll('th')[0]?.getAttribute('aria-sort')).toBe('ascending');

    const next = [...w.container.querySelectorAll('button')].find((b) => b.textContent === 'Next')!;
    await w.click(next);
    await w.click(next);
    expect(w.requests.at(-1)?.request).toMatchObject({ offset: 20, limit: 10 });
    expect(bodyRows(table()).map((r) => r[0])).toEqual(['D20', 'D21', 'D22']);
    expect(text(w.container)).toContain('21–23 of 23');
    expect(next.hasAttribute('disabled')).toBe(true);

    await w.click(w.container.querySelectorAll('thead button')[0]); // same header: flips, back to page 1
    expect(w.requests.at(-1)?.request).toMatchObject({
      orderBy: [{ property: 'flights.destination', direction: 'desc' }],
      offset: 0,
    });
    await w.unmount();
  });

  it('CSV export loads the whole query through loadData and downloads it', async () => {
    const clicks: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return 'blob:x';
    });
    const w = await mountWidget(Table, inputs, answer);
    await w.click([...w.container.querySelectorAll('button')].find((b) => b.textContent === 'Download CSV'));
    const exp = w.requests.find((r) => r.prop === 'exportResults');
    expect(exp?.request).toMatchObject({
      limit: EXPORT_LIMIT,
      orderBy: [{ property: 'flights.count', direction: 'desc' }],
    });
    expect(exp?.request.offset).toBeUndefined();
    expect(clicks).toEqual(['top-destinations.csv']);
    const csv = await blobs[0]!.text();
    expect(csv.split('\r\n').slice(0, 3)).toEqual([
      'Destination airport,Flights count',
      'D22,1814',
      'D21,1777',
    ]);
    expect(csv.trim().split('\r\n')).toHaveLength(24);
    // Export done: the extra query is no longer asked for.
    expect([...w.container.querySelectorAll('button')].some((b) => b.textContent === 'Download CSV')).toBe(
      true,
    );
    await w.unmount();
  });

  it('CSV quotes and defuses formulas', () => {
    const csv = toCsv(
      [
        { key: 'a', title: 'Name, full' },
        { key: 'b', title: 'n' },
      ],
      [
        { a: 'say "hi"', b: -3 },
        { a: '=HYPERLINK("x")', b: null },
      ],
    );
    expect(csv).toBe('"Name, full",n\r\n"say ""hi""",-3\r\n"\'=HYPERLINK(""x"")",\r\n');
  });

  it('loading, empty, error states', () => {
    expect(
      renderWidget(Table, inputs, { results: loading }).root.querySelector('[aria-busy="true"]'),
    ).not.toBeNull();
    const e = renderWidget(Table, inputs, {
      results: mockDataResponse([destination, count], [], { total: 0 }),
    }).root;
    expect(text(e)).toContain('No data for these filters.');
    expect(
      renderWidget(Table, inputs, { results: failed }).root.querySelector('[role="alert"]'),
    ).not.toBeNull();
    expect(text(renderWidget(Table, { ds, columns: [] }).root)).toContain('Choose at least one column.');
  });
});
