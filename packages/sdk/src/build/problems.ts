import { relative, resolve } from 'node:path';
import type { Message } from 'esbuild';

/** One thing wrong with a project, where it is (project-relative path, 1-based line and column). */
export interface BuildProblem {
  file?: string;
  line?: number;
  column?: number;
  message: string;
}

/** Thrown (and caught by `buildProject`) to stop a step whose problems are already listed. */
export class BuildFailed extends Error {
  constructor(readonly problems: BuildProblem[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    this.name = 'BuildFailed';
  }
}

/** `file:line:col: message`, the path relative to `cwd` so it opens from where the command ran. */
export function formatProblem(p: BuildProblem, projectDir: string, cwd = process.cwd()): string {
  if (!p.file) return p.message;
  const file = relative(cwd, resolve(projectDir, p.file)) || p.file;
  const at = [file, p.line, p.line ? p.column : undefined].filter((x) => x !== undefined).join(':');
  return `${at}: ${p.message}`;
}

/** esbuild's errors (syntax, an unresolved import, a name React does not export) as problems. */
export function esbuildProblems(messages: readonly Message[], projectDir: string): BuildProblem[] {
  return messages.map((m) => {
    const loc = m.location;
    if (!loc) return { message: m.text };
    const file = relative(projectDir, resolve(projectDir, loc.file)) || loc.file;
    return { file, line: loc.line, column: loc.column + 1, message: m.text };
  });
}

/** The 1-based line of the first `'text'` or `"text"` string literal in `source`, if any. */
export function lineOfLiteral(source: string, text: string): number | undefined {
  for (const quote of ["'", '"', '`']) {
    const at = source.indexOf(`${quote}${text}${quote}`);
    if (at >= 0) return source.slice(0, at).split('\n').length;
  }
  return undefined;
}
