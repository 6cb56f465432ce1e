// @vitest-environment happy-dom
import { RENDER_PENDING_ATTRIBUTE } from '@inlay/core/dashboard-types';
import { describe, expect, it } from 'vitest';
import { whenSettled } from '../src/settled.js';

function body(pending: number): { root: HTMLElement; marks: HTMLElement[] } {
  const root = document.createElement('div');
  const marks = Array.from({ length: pending }, () => {
    const el = document.createElement('div');
    el.setAttribute(RENDER_PENDING_ATTRIBUTE, 'chart');
    root.append(el);
    return el;
  });
  document.body.append(root);
  return { root, marks };
}

describe('whenSettled', () => {
  it('resolves at once when nothing is drawing', async () => {
    let settled = false;
    await whenSettled(body(0).root).then(() => {
      settled = true;
    });
    expect(settled).toBe(true);
  });

  it('waits until every pending element has finished (the mark removed or the element gone)', async () => {
    const { root, marks } = body(2);
    let settled = false;
    const waiting = whenSettled(root).then(() => {
      settled = true;
    });
    marks[0]!.removeAttribute(RENDER_PENDING_ATTRIBUTE);
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    marks[1]!.remove();
    await waiting;
    expect(settled).toBe(true);
  });

  it('gives up after the timeout: a component that never finishes does not hold dataLoad', async () => {
    const started = Date.now();
    await whenSettled(body(1).root, 50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});
