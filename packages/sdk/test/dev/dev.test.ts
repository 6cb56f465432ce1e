import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { DevEvent } from '@inlay/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempProject, tempProject } from '../build/project.js';
import { type DevSession, startDev } from './dev-session.js';

/**
 * `inlay dev` end to end on a copy of the build fixture: a save rebuilds, pushes to the dev
 * server (a new components or models version it serves) and says so on the event stream and in
 * the terminal; a broken save says where, and serves the last good build meanwhile.
 */

const COMPONENT = 'components/FlightCount.tsx';
const MODEL = 'models/trips.cube.yml';

interface Listed {
  version: string | null;
  components: { name: string; standard: boolean; version: string | null; url?: string }[];
}

let project: TempProject;
let dev: DevSession;

beforeAll(async () => {
  project = tempProject();
  // The type-check runs in the background on every save; this test is about the rebuild loop.
  dev = await startDev(project.dir, ['--no-type-check']);
  await dev.subscribe();
}, 90_000);

afterAll(async () => {
  await dev?.stop();
  project?.remove();
});

const componentsVersion = async () => (await dev.api<Listed>('/api/v1/components')).version;

describe('inlay dev', () => {
  it('pushed the first build before saying it is ready, with a key only its owner can read', async () => {
    const listed = await dev.api<Listed>('/api/v1/components');
    expect(listed.version).toMatch(/^[0-9a-f]{64}$/);
    expect(listed.components.find((c) => c.name === 'FlightCount')?.standard).toBe(false);
    expect(dev.output()).toMatch(
      /\] start: built 1 component and pushed; serving components [0-9a-f]{12} \(new\)/,
    );
    expect(statSync(join(project.dir, '.inlay', 'dev', 'dev-api-key')).mode & 0o077).toBe(0);
    expect(dev.output()).not.toContain(dev.apiKey);
  });

  it('a changed component: a new components version, a `components` event and a line', async () => {
    const before = await componentsVersion();
    const from = dev.events.length;
    project.edit(COMPONENT, "title ?? 'Flights'", "title ?? 'Flights, edited'");
    const event = (await dev.waitEvent((e) => e.type === 'components', from)) as Extract<
      DevEvent,
      { type: 'components' }
    >;
    expect(event.componentsVersion).not.toBe(before);
    expect(await componentsVersion()).toBe(event.componentsVersion);
    await dev.waitOutput(/components\/FlightCount\.tsx: built 1 component and pushed; .*\(\d+ ms\)/);
    // A component change is not a model change: nothing else to refetch.
    expect(dev.events.slice(from).some((e) => e.type === 'models')).toBe(false);
  });

  it('a broken component: an `error` event and terminal lines with file:line; the last good build stays', async () => {
    const served = await componentsVersion();
    const from = dev.events.length;
    project.edit(COMPONENT, '<h3>', '<h3 {');
    const line = project.lineOf(COMPONENT, '<h3 {');
    const event = (await dev.waitEvent((e) => e.type === 'error', from)) as Extract<
      DevEvent,
      { type: 'error' }
    >;
    expect(event.source).toBe('build');
    expect(event.problems).toContainEqual(expect.objectContaining({ file: COMPONENT, line }));
    // Only the real problem: not every widget of the dashboard "naming an unknown component".
    expect(event.problems.map((p) => p.file)).toEqual([COMPONENT]);
    await dev.waitOutput(/build failed, \d+ problems?; still serving the last good build/);
    await dev.waitOutput(new RegExp(`components/FlightCount\\.tsx:${line}:\\d+: `));
    expect(await componentsVersion()).toBe(served);
  });

  it('a page that opens while the build is broken is told at once', async () => {
    const res = await fetch(`${dev.url}/api/v1/dev/events`, {
      headers: { authorization: `Bearer ${dev.apiKey}` },
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('"type":"error"')) text += (await reader.read()).value ?? '';
    await reader.cancel();
    expect(text).toMatch(/^data: \{"type":"hello"\}\n\n/);
  });

  it('fixed again: `components` once more', async () => {
    const from = dev.events.length;
    project.edit(COMPONENT, '<h3 {', '<h3>');
    project.edit(COMPONENT, "'Flights, edited'", "'Flights, fixed'");
    const event = await dev.waitEvent((e) => e.type === 'components', from);
    expect(event.type).toBe('components');
  });

  it('a changed model: a `models` event and the new member in /meta', async () => {
    const from = dev.events.length;
    project.edit(
      MODEL,
      '      - name: count\n        type: count',
      '      - name: count\n        type: count\n      - name: trips_again\n        type: count',
    );
    const event = (await dev.waitEvent((e) => e.type === 'models', from)) as Extract<
      DevEvent,
      { type: 'models' }
    >;
    expect(event.modelVersion).toMatch(/^[0-9a-f]{64}$/);
    const meta = JSON.stringify(await dev.api<unknown>('/api/v1/meta'));
    expect(meta).toContain('trips.trips_again');
    await dev.waitOutput(/models\/trips\.cube\.yml: built 1 component and pushed/);
  });

  it('without a key the stream is refused', async () => {
    const res = await fetch(`${dev.url}/api/v1/dev/events`);
    expect(res.status).toBe(401);
  });

  it('stops on SIGTERM', async () => {
    expect(await dev.stop()).toBe(0);
  });
});
