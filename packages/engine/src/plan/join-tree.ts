import { InlayError } from '@inlay/core';
import type { JoinDef, SemanticModel } from '../graph/types.js';

export interface JoinEdge {
  parent: string;
  child: string;
  join: JoinDef;
}

/** The cubes one query reads, joined from its root; parents always come before children. */
export interface JoinTree {
  root: string;
  edges: JoinEdge[];
  cubes: Set<string>;
  /** Cubes whose rows the join repeats: their measures are aggregated per primary key first. */
  multiplied: Set<string>;
}

interface Reach {
  dist: Map<string, number>;
  ways: Map<string, number>;
  parent: Map<string, string[]>;
  /** Shortest path from the root to each cube, filled on first use. */
  paths: Map<string, string[]>;
}

const reachCache = new WeakMap<SemanticModel, Map<string, Reach>>();

/** Shortest directed paths from `root`, with how many there are (more than one is ambiguous). */
function reach(model: SemanticModel, root: string): Reach {
  let perModel = reachCache.get(model);
  if (!perModel) {
    perModel = new Map();
    reachCache.set(model, perModel);
  }
  const hit = perModel.get(root);
  if (hit) return hit;
  const dist = new Map([[root, 0]]);
  const ways = new Map([[root, 1]]);
  const parent = new Map<string, string[]>();
  const queue = [root];
  while (queue.length) {
    const cur = queue.shift()!;
    for (const next of model.cubes.get(cur)?.joins.keys() ?? []) {
      const d = dist.get(cur)! + 1;
      if (!dist.has(next)) {
        dist.set(next, d);
        ways.set(next, ways.get(cur)!);
        parent.set(next, [cur]);
        queue.push(next);
      } else if (dist.get(next) === d) {
        ways.set(next, ways.get(next)! + ways.get(cur)!);
        parent.get(next)!.push(cur);
      }
    }
  }
  const r = { dist, ways, parent, paths: new Map<string, string[]>() };
  perModel.set(root, r);
  return r;
}

function pathTo(r: Reach, cube: string): string[] {
  const known = r.paths.get(cube);
  if (known) return known;
  const path = [cube];
  let cur = cube;
  while (r.parent.has(cur)) {
    cur = r.parent.get(cur)![0]!;
    path.push(cur);
  }
  path.reverse();
  r.paths.set(cube, path);
  return path;
}

export function buildJoinTree(
  model: SemanticModel,
  root: string,
  needs: { cube: string; path?: string[] }[],
): JoinTree {
  const parentOf = new Map<string, string>();
  const edges: JoinEdge[] = [];
  const r = reach(model, root);
  for (const need of needs) {
    if (need.cube === root) continue;
    let path = need.path;
    if (!path) {
      if (!r.dist.has(need.cube)) {
        throw new InlayError(
          'JOIN_PATH',
          `cannot join '${need.cube}' to '${root}': no join path leads there.`,
          {
            hint: `Add a join from ${root} (or a cube it joins) to ${need.cube}, or start the query from a cube that joins to both.`,
          },
        );
      }
      if (r.ways.get(need.cube)! > 1) {
        const options = r.parent.get(need.cube)!.map((p) => [...pathTo(r, p), need.cube].join(' -> '));
        throw new InlayError(
          'JOIN_PATH',
          `more than one join path leads from '${root}' to '${need.cube}': ${options.join(' | ')}.`,
          {
            hint: 'Query through a view whose join_path picks one.',
          },
        );
      }
      path = pathTo(r, need.cube);
    }
    for (let i = 1; i < path.length; i++) {
      const parent = path[i - 1]!;
      const child = path[i]!;
      const known = parentOf.get(child);
      if (known === parent) continue;
      if (known !== undefined || child === root) {
        throw new InlayError(
          'JOIN_PATH',
          `'${child}' would be joined twice (from '${known ?? 'the root'}' and from '${parent}').`,
          {
            hint: 'Use one join path per cube in a query; a second role of a table needs its own cube.',
          },
        );
      }
      parentOf.set(child, parent);
      edges.push({ parent, child, join: model.cubes.get(parent)!.joins.get(child)! });
    }
  }
  const cubes = new Set([root, ...edges.map((e) => e.child)]);
  return { root, edges, cubes, multiplied: multipliedCubes(edges, cubes) };
}

function multipliedCubes(edges: JoinEdge[], cubes: Set<string>): Set<string> {
  const multiplied = new Set<string>();
  if (edges.every((e) => e.join.relationship === 'one_to_one')) return multiplied;
  const children = new Map<string, string[]>();
  for (const e of edges) {
    const list = children.get(e.parent);
    if (list) list.push(e.child);
    else children.set(e.parent, [e.child]);
  }
  const below = (c: string, out: Set<string>): Set<string> => {
    out.add(c);
    for (const k of children.get(c) ?? []) below(k, out);
    return out;
  };
  for (const e of edges) {
    if (e.join.relationship === 'one_to_one') continue;
    const sub = below(e.child, new Set());
    if (e.join.relationship === 'one_to_many') {
      // Each parent row meets many child rows: everything above the edge repeats.
      for (const c of cubes) if (!sub.has(c)) multiplied.add(c);
    } else {
      // Many parent rows meet one child row: the child's side repeats.
      for (const c of sub) multiplied.add(c);
    }
  }
  return multiplied;
}
