import { describe, expect, it } from 'vitest';
import { compileModel, ModelErrors } from '../src/index.js';

function errorsOf(files: Record<string, string>): string[] {
  try {
    compileModel(Object.entries(files).map(([path, content]) => ({ path, content })));
  } catch (e) {
    if (e instanceof ModelErrors) return e.errors.map((x) => x.describe());
    throw e;
  }
  throw new Error('expected the model to be rejected');
}

const base = `cubes:
  - name: orders
    sql_table: orders
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: status
        sql: status
        type: string
    measures:
      - name: count
        type: count
`;

describe('model validation', () => {
  it('accepts a valid model and memoises it by content', () => {
    const files = [{ path: 'models/orders.cube.yml', content: base }];
    const a = compileModel(files);
    expect(a.cubes.get('orders')!.primaryKeys).toEqual(['id']);
    expect(compileModel([{ ...files[0]! }])).toBe(a);
  });

  it('names file, line, cube and member of an unknown key and suggests the closest', () => {
    const errors = errorsOf({
      'models/orders.cube.yml': base.replace('        sql: status', '        sqll: status'),
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBe(
      "models/orders.cube.yml:10 cube 'orders' member 'status': unknown key 'sqll'. Did you mean 'sql'?",
    );
  });

  it('rejects an unknown type with the allowed values and a suggestion', () => {
    const errors = errorsOf({ 'm.cube.yml': base.replace('type: string', 'type: strng') });
    expect(errors[0]).toMatch(
      /^m\.cube\.yml:11 cube 'orders' member 'status': .*must be one of "string", "number"/,
    );
    expect(errors[0]).toContain("Did you mean 'string'?");
  });

  it('reports a YAML syntax error with its line', () => {
    const errors = errorsOf({ 'bad.cube.yml': 'cubes:\n  - name: x\n   sql_table: y\n' });
    expect(errors[0]).toMatch(/^bad\.cube\.yml:3: YAML syntax error/);
  });

  it('suggests the closest member for a broken reference', () => {
    const yml = base.replace(
      '      - name: count\n        type: count',
      '      - name: count\n        type: count\n      - name: ratio\n        type: number\n        sql: "{cont} / 2"',
    );
    const errors = errorsOf({ 'm.cube.yml': yml });
    expect(errors[0]).toContain(
      "cube 'orders' member 'ratio': {cont} is neither a member of 'orders' nor a cube. Did you mean 'count'?",
    );
  });

  it('rejects joins to unknown cubes, with a suggestion', () => {
    const yml = `${base}    joins:\n      - name: orderz\n        relationship: many_to_one\n        sql: "{CUBE}.x = 1"\n`;
    const errors = errorsOf({ 'm.cube.yml': yml, 'o.cube.yml': base.replace(/orders/g, 'orders2') });
    expect(errors.join('\n')).toMatch(/joins unknown cube 'orderz'\. Did you mean 'orders2?'\?/);
  });

  it('rejects circular member references', () => {
    const yml = base.replace(
      '      - name: count\n        type: count',
      '      - name: a\n        type: number\n        sql: "{b} + 1"\n      - name: b\n        type: number\n        sql: "{a} + 1"',
    );
    expect(errorsOf({ 'm.cube.yml': yml }).join('\n')).toMatch(
      /circular reference: orders\.(a|b) -> orders\.(a|b) -> orders\.(a|b)/,
    );
  });

  it('rejects a cube defined twice and reports all problems at once', () => {
    const errors = errorsOf({
      'a.cube.yml': base,
      'b.cube.yml': base,
      'c.cube.yml': base.replace(/orders/g, 'o2').replace('type: count', 'type: cnt'),
    });
    expect(errors.length).toBe(2);
    expect(errors.join('\n')).toContain("'orders' is defined twice (first at a.cube.yml:2)");
  });

  it('applies extends: inherits members, the child overrides joins by name', () => {
    const yml = `${base}  - name: big_orders\n    extends: orders\n    sql: SELECT * FROM orders WHERE amount > 100\n`;
    const model = compileModel([{ path: 'm.cube.yml', content: yml }]);
    const child = model.cubes.get('big_orders')!;
    expect([...child.dimensions.keys()]).toEqual(['id', 'status']);
    expect(child.from.source).toBe('(SELECT * FROM orders WHERE amount > 100)');
    expect(errorsOf({ 'm.cube.yml': `${base}  - name: x\n    extends: orderz\n` })[0]).toContain(
      "extends unknown cube 'orderz'. Did you mean 'orders'?",
    );
  });

  it('checks views: join paths, includes, name clashes', () => {
    const view = (cubes: string) => `${base}views:\n  - name: v\n    cubes:\n${cubes}`;
    expect(
      errorsOf({ 'm.cube.yml': view('      - join_path: orders\n        includes: [count, statuss]\n') })[0],
    ).toContain("includes unknown member 'orders.statuss'. Did you mean 'status'?");
    expect(errorsOf({ 'm.cube.yml': view('      - join_path: orders.customers\n') })[0]).toContain(
      "names unknown cube 'customers'",
    );
    const ok = compileModel([
      {
        path: 'm.cube.yml',
        content: view(
          '      - join_path: orders\n        includes: [count, {name: status, alias: state}]\n        prefix: true\n',
        ),
      },
    ]);
    expect([...ok.views.get('v')!.members.keys()]).toEqual(['orders_count', 'state']);
  });

  it('refuses options it would otherwise ignore', () => {
    const yml = base.replace(
      '        type: string\n',
      '        type: string\n        sub_query: true\n        propagate_filters_to_sub_query: true\n',
    );
    expect(errorsOf({ 'm.cube.yml': yml })[0]).toContain(
      "member 'status': propagate_filters_to_sub_query is not supported yet.",
    );
  });

  it('rejects access policies that name unknown members (a typo must not silently filter nothing)', () => {
    const yml = `${base}    access_policy:\n      - role: default\n        row_level:\n          filters:\n            - member: stauts\n              operator: equals\n              values: ["{ securityContext.s }"]\n`;
    expect(errorsOf({ 'm.cube.yml': yml })[0]).toContain(
      "row_level filter names unknown member 'stauts'. Did you mean 'status'?",
    );
  });
});
