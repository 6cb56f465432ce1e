import type { DevEvent, DevProblem } from '@inlay/core';
import { type BuildProblem, buildProject, formatProblem, typeCheckProject } from '../build/index.js';
import { collectBundle, collectComponentsBuild } from '../bundle/pack.js';
import { PushRefused, packFiles, uploadArchive } from '../cli/upload.js';

/**
 * One rebuild after each burst of saves: build (no type-check: that runs beside, it is the slow
 * part), push to the local server the way `inlay push` does, then tell the open pages what
 * changed. Rebuilds never overlap: saves during one are gathered into the next.
 */

export interface DevLoopOptions {
  dir: string;
  /** The local server's base address and a key of its workspace. */
  server: URL;
  apiKey: string;
  publish: (event: DevEvent) => void;
  /** One line per rebuild, then the problems in full. */
  log: (line: string) => void;
  /** Run `tsc` after each good build and report its errors apart (default true). */
  typeCheck?: boolean;
}

export interface DevLoop {
  /** Queues a rebuild for these project-relative paths (`[]` at start: everything is new). */
  changed(paths: string[]): Promise<void>;
  /** Resolves when no rebuild and no type-check is running or queued. */
  idle(): Promise<void>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const clock = () => new Date().toTimeString().slice(0, 8);
/** Versions are content hashes; the first 12 characters tell them apart in a terminal. */
const short = (version: string) => version.slice(0, 12);
const isComponentFile = (path: string) => path.startsWith('components/');

function toEvent(problems: BuildProblem[]): DevProblem[] {
  return problems.map((p) => ({
    ...(p.file ? { file: p.file } : {}),
    ...(p.line ? { line: p.line } : {}),
    ...(p.column ? { column: p.column } : {}),
    message: p.message,
  }));
}

function describe(paths: string[]): string {
  if (paths.length === 0) return 'start';
  return paths.length <= 2 ? paths.join(', ') : `${paths[0]} and ${paths.length - 1} more`;
}

export function createDevLoop(o: DevLoopOptions): DevLoop {
  let running: Promise<void> = Promise.resolve();
  let queued: string[] | undefined;
  let componentsVersion: string | null | undefined;
  let failing = false;
  let typeErrors = false;
  let checking: Promise<void> | undefined;
  let checkAgain = false;

  const report = (source: 'build' | 'types' | 'push', problems: BuildProblem[]) => {
    for (const p of problems) o.log(`  ${formatProblem(p, o.dir)}`);
    o.publish({ type: 'error', source, problems: toEvent(problems) });
  };

  /** tsc in its own process; one at a time, the latest files win. */
  const checkTypes = () => {
    if (o.typeCheck === false) return;
    if (checking) {
      checkAgain = true;
      return;
    }
    const started = performance.now();
    checking = typeCheckProject(o.dir)
      .then(
        (problems) => {
          const ms = Math.round(performance.now() - started);
          if (checkAgain) return;
          if (problems.length) {
            typeErrors = true;
            o.log(`[${clock()}] types: ${plural(problems.length, 'problem')} (${ms} ms)`);
            report('types', problems);
          } else if (typeErrors) {
            typeErrors = false;
            o.log(`[${clock()}] types: ok again (${ms} ms)`);
            if (!failing) o.publish({ type: 'ok' });
          }
        },
        (err: unknown) => o.log(`[${clock()}] types: could not run tsc: ${(err as Error).message}`),
      )
      .finally(() => {
        checking = undefined;
        if (checkAgain) {
          checkAgain = false;
          checkTypes();
        }
      });
  };

  async function rebuild(paths: string[]): Promise<void> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    const what = describe(paths);
    const outcome = await buildProject(o.dir, { typeCheck: false });
    if (!outcome.ok) {
      failing = true;
      o.log(
        `[${clock()}] ${what}: build failed, ${plural(outcome.problems.length, 'problem')}; still serving the last good build (${ms()} ms)`,
      );
      report('build', outcome.problems);
      return;
    }
    const [bundle, build] = await Promise.all([collectBundle(o.dir), collectComponentsBuild(o.dir)]);
    const { archive } = packFiles(bundle, build);
    let result: Awaited<ReturnType<typeof uploadArchive>>;
    try {
      result = await uploadArchive(o.server, o.apiKey, archive, {
        pushComponents: build !== undefined,
        description: `inlay dev: ${what}`,
      });
    } catch (err) {
      failing = true;
      const lines = err instanceof PushRefused ? err.lines : [(err as Error).message];
      o.log(`[${clock()}] ${what}: built, but the push failed (${ms()} ms)`);
      report(
        'push',
        lines.map((message) => ({ message: message.replace(/^error: /, '') })),
      );
      return;
    }
    const events: DevEvent[] = [];
    const newComponents = (result.componentsVersion ?? null) !== (componentsVersion ?? null);
    if (newComponents && result.componentsVersion) {
      events.push({ type: 'components', componentsVersion: result.componentsVersion, ms: ms() });
    }
    const others = paths.length === 0 || paths.some((p) => !isComponentFile(p));
    if (others) events.push({ type: 'models', modelVersion: result.modelVersion, ms: ms() });
    componentsVersion = result.componentsVersion ?? null;
    const wasFailing = failing;
    failing = false;
    if (events.length === 0 && wasFailing && !typeErrors) events.push({ type: 'ok' });
    for (const e of events) o.publish(e);
    const served = [
      result.componentsVersion
        ? `components ${short(result.componentsVersion)}${newComponents ? ' (new)' : ''}`
        : '',
      result.modelVersion ? `models ${short(result.modelVersion)}` : '',
    ].filter(Boolean);
    o.log(
      `[${clock()}] ${what}: built ${plural(outcome.manifest.components.length, 'component')} and pushed; serving ${served.join(', ') || 'nothing yet'} (${ms()} ms)`,
    );
    if (paths.some((p) => p.startsWith('inlay.config.'))) {
      o.log('  (the config changed: restart inlay dev for a new connection)');
    }
    checkTypes();
  }

  return {
    changed(paths) {
      if (queued) {
        // One is already waiting: it will see these files too.
        queued.push(...paths);
        return running;
      }
      queued = [...paths];
      running = running.then(async () => {
        const batch = [...new Set(queued)].sort();
        queued = undefined;
        try {
          await rebuild(batch);
        } catch (err) {
          failing = true;
          o.log(`[${clock()}] ${describe(batch)}: rebuild failed: ${(err as Error).message}`);
          o.publish({ type: 'error', source: 'build', problems: [{ message: (err as Error).message }] });
        }
      });
      return running;
    },
    async idle() {
      await running;
      while (checking) await checking;
    },
  };
}
