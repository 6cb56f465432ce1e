import { relative, sep } from 'node:path';
import { watch } from 'chokidar';
import { DASHBOARD_FILE } from '../bundle/pack.js';

/**
 * Which project files `inlay dev` rebuilds for: the models, components, presets, dashboards as
 * code and the config. Everything else (node_modules, `.inlay/`, `.inlay-build/`, which a rebuild
 * itself writes, README…) is ignored, so a rebuild never triggers another.
 */
const WATCHED_FOLDERS = ['models/', 'components/', 'presets/'];
const CONFIG_FILES = new Set(['inlay.config.ts', 'inlay.config.json']);

export function isWatched(path: string): boolean {
  return (
    WATCHED_FOLDERS.some((f) => path.startsWith(f)) || CONFIG_FILES.has(path) || DASHBOARD_FILE.test(path)
  );
}

/** A folder or file never worth looking into: dependencies, dot folders (the build, the data dir). */
function isSkipped(path: string): boolean {
  return path.split('/').some((part) => part === 'node_modules' || part.startsWith('.'));
}

/** Saves come in bursts (an editor writes, renames, formats): one rebuild for a burst. */
export const DEBOUNCE_MS = 80;

export interface ProjectWatcher {
  /** Resolves once the first scan is done: changes after it are reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Calls `onChange` with the project-relative paths (`/`-separated) that were added, changed or
 * removed, once per burst of saves. chokidar rather than `fs.watch`: recursive `fs.watch` is not
 * on every Linux Node 20, and editors' atomic saves (write a temp file, rename) need its handling.
 */
export function watchProject(dir: string, onChange: (paths: string[]) => void): ProjectWatcher {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const rel = (abs: string) => relative(dir, abs).split(sep).join('/');
  const watcher = watch(dir, {
    ignoreInitial: true,
    ignored: (abs: string) => {
      const path = rel(abs);
      return path !== '' && !path.startsWith('..') && isSkipped(path);
    },
  });
  watcher.on('all', (_event, abs) => {
    const path = rel(abs);
    if (!isWatched(path)) return;
    pending.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const paths = [...pending].sort();
      pending.clear();
      onChange(paths);
    }, DEBOUNCE_MS);
  });
  const ready = new Promise<void>((resolve, reject) => {
    watcher.once('ready', () => resolve());
    watcher.once('error', reject);
  });
  return {
    ready,
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
