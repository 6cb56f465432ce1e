import type { ModelFile } from '../src/index.js';
import { Random } from './random.js';

/**
 * A synthetic Cube model held in memory: `cubes` cubes (one YAML file each) joined as a tree
 * (each cube `many_to_one` to its parent, `one_to_many` to its children: 1–3 joins per cube, one
 * connected graph where every path is unique), an access policy on every fourth cube, and views
 * whose `join_path` walks up the tree. `variant` changes titles and descriptions only, so each
 * variant is a different model version (the compile cache cannot answer) of the same shape.
 */
export interface GeneratedModel {
  files: ModelFile[];
  /** Total YAML size in characters. */
  chars: number;
  lines: number;
}

export interface ModelShape {
  cubes: number;
  views: number;
}

export const DEFAULT_SHAPE: ModelShape = { cubes: 500, views: 12 };

export const cubeName = (i: number): string => `cube_${String(i).padStart(3, '0')}`;
export const parentOf = (i: number): number | undefined => (i === 0 ? undefined : Math.floor((i - 1) / 2));
const childrenOf = (i: number, n: number): number[] => [2 * i + 1, 2 * i + 2].filter((c) => c < n);
const depthOf = (i: number): number => (i === 0 ? 0 : 1 + depthOf(parentOf(i)!));
export const hasPolicy = (i: number): boolean => i % 4 === 3;

function cubeYaml(i: number, n: number, variant: number, rnd: Random): string {
  const name = cubeName(i);
  const parent = parentOf(i);
  const joins: string[] = [];
  if (parent !== undefined) {
    joins.push(
      `      - name: ${cubeName(parent)}`,
      `        relationship: many_to_one`,
      `        sql: "{CUBE}.parent_id = {${cubeName(parent)}}.id"`,
    );
  }
  for (const c of childrenOf(i, n)) {
    joins.push(
      `      - name: ${cubeName(c)}`,
      `        relationship: one_to_many`,
      `        sql: "{CUBE}.id = {${cubeName(c)}}.parent_id"`,
    );
  }
  const fiscal =
    i % 5 === 0
      ? [
          `        granularities:`,
          `          - name: fiscal_year`,
          `            interval: 1 year`,
          `            offset: 3 months`,
          `          - name: fortnight`,
          `            interval: 2 weeks`,
        ]
      : [];
  const policy = hasPolicy(i)
    ? [
        `    access_policy:`,
        `      - role: default`,
        `        row_level:`,
        `          filters:`,
        `            - member: tenant_id`,
        `              operator: equals`,
        `              values: ["{ securityContext.tenant }"]`,
        `      - role: analyst`,
        `        member_level:`,
        `          excludes: [internal_note]`,
        `        row_level:`,
        `          filters:`,
        `            - member: region`,
        `              operator: equals`,
        `              values: ["{ securityContext.regions }"]`,
        `            - or:`,
        `                - member: is_active`,
        `                  operator: equals`,
        `                  values: [true]`,
        `                - member: status`,
        `                  operator: notEquals`,
        `                  values: [archived]`,
        `      - role: admin`,
        `        row_level:`,
        `          allow_all: true`,
      ]
    : [];
  const dim = (d: string, type: string, extra: string[] = [], sql = d) => [
    `      - name: ${d}`,
    `        sql: ${sql}`,
    `        type: ${type}`,
    ...extra,
  ];
  return [
    `# Generated cube ${i} (variant ${variant}).`,
    `cubes:`,
    `  - name: ${name}`,
    `    sql_table: app.table_${String(i).padStart(3, '0')}`,
    `    title: Cube ${i} v${variant}`,
    `    description: Synthetic cube ${i} of ${n}, depth ${depthOf(i)}, variant ${variant}.`,
    ...(joins.length ? [`    joins:`, ...joins] : []),
    `    dimensions:`,
    ...dim('id', 'number', [`        primary_key: true`]),
    ...dim('created_at', 'time', fiscal),
    ...dim('name', 'string', [`        title: Name ${rnd.int(1, 999)}`]),
    ...dim('status', 'string'),
    ...dim('category', 'string', [], 'lower({CUBE}.category)'),
    ...dim('region', 'string'),
    ...dim('tenant_id', 'string'),
    ...dim('amount', 'number', [`        format: currency`]),
    ...dim('quantity', 'number'),
    ...dim('is_active', 'boolean'),
    ...dim('internal_note', 'string', [`        public: false`]),
    `    measures:`,
    `      - name: count`,
    `        type: count`,
    `      - name: total_amount`,
    `        sql: amount`,
    `        type: sum`,
    `      - name: total_quantity`,
    `        sql: quantity`,
    `        type: sum`,
    `      - name: avg_amount`,
    `        sql: amount`,
    `        type: avg`,
    `      - name: distinct_names`,
    `        sql: name`,
    `        type: count_distinct`,
    `      - name: max_amount`,
    `        sql: amount`,
    `        type: max`,
    `      - name: active_count`,
    `        type: count`,
    `        filters:`,
    `          - sql: "{CUBE}.is_active"`,
    `      - name: amount_per_item`,
    `        sql: "1.0 * {total_amount} / NULLIF({total_quantity}, 0)"`,
    `        type: number`,
    `        format: currency`,
    `    segments:`,
    `      - name: active`,
    `        sql: "{CUBE}.is_active"`,
    ...policy,
    '',
  ].join('\n');
}

/** Views rooted at deep cubes, reaching up to three ancestors and one child. */
function viewsYaml(shape: ModelShape, variant: number, rnd: Random): string {
  const out = ['views:'];
  const deep = Array.from({ length: shape.cubes }, (_, i) => i).filter((i) => depthOf(i) >= 4);
  for (let v = 0; v < shape.views; v++) {
    const root = rnd.pick(deep);
    const chain = [root, parentOf(root)!, parentOf(parentOf(root)!)!, parentOf(parentOf(parentOf(root)!)!)!];
    const child = childrenOf(root, shape.cubes)[0];
    const path = (k: number) =>
      chain
        .slice(0, k + 1)
        .map((c) => cubeName(c))
        .join('.');
    out.push(
      `  - name: view_${v}`,
      `    title: View ${v} v${variant}`,
      `    cubes:`,
      `      - join_path: ${cubeName(root)}`,
      `        includes: [count, total_amount, avg_amount, amount_per_item, created_at, status, region, amount, tenant_id]`,
      `      - join_path: ${path(1)}`,
      `        prefix: true`,
      `        alias: parent`,
      `        includes: [name, category, count, total_amount, region]`,
      `      - join_path: ${path(2)}`,
      `        prefix: true`,
      `        alias: grandparent`,
      `        includes: [status, region, created_at]`,
      `      - join_path: ${path(3)}`,
      `        prefix: true`,
      `        alias: top`,
      `        includes: [name, distinct_names]`,
    );
    if (child !== undefined) {
      out.push(
        `      - join_path: ${cubeName(root)}.${cubeName(child)}`,
        `        prefix: true`,
        `        alias: child`,
        `        includes: [count, total_quantity, status]`,
      );
    }
    if (v % 2 === 0) {
      out.push(
        `    access_policy:`,
        `      - role: admin`,
        `        row_level:`,
        `          allow_all: true`,
        `      - role: default`,
        `        row_level:`,
        `          filters:`,
        `            - member: region`,
        `              operator: equals`,
        `              values: ["{ securityContext.regions }"]`,
        `      - role: analyst`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

export function generateModel(variant: number, shape: ModelShape = DEFAULT_SHAPE): GeneratedModel {
  const rnd = new Random(0x5eed + variant);
  const files: ModelFile[] = [];
  for (let i = 0; i < shape.cubes; i++) {
    files.push({ path: `models/${cubeName(i)}.cube.yml`, content: cubeYaml(i, shape.cubes, variant, rnd) });
  }
  files.push({ path: 'models/views.cube.yml', content: viewsYaml(shape, variant, new Random(0x71e75)) });
  let chars = 0;
  let lines = 0;
  for (const f of files) {
    chars += f.content!.length;
    lines += f.content!.split('\n').length - 1;
  }
  return { files, chars, lines };
}
