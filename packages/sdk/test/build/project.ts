import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../run-cli.js';

/** The build fixture: one custom component (`FlightCount`), a model, a dashboard using both kinds. */
export const FIXTURE = join(repoRoot, 'packages', 'sdk', 'test', 'fixtures', 'build-project');

export interface TempProject {
  dir: string;
  read(file: string): string;
  write(file: string, text: string): void;
  /** Replaces `from` (which must occur) in `file`. */
  edit(file: string, from: string, to: string): void;
  /** The 1-based line of the first line of `file` containing `text`. */
  lineOf(file: string, text: string): number;
  remove(): void;
}

/**
 * A copy of the fixture in a temp folder (so a build never writes into the repository), with
 * `node_modules` linked to the repository's, as an installed project would have it.
 */
export function tempProject(): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'inlay-build-'));
  cpSync(FIXTURE, dir, { recursive: true, filter: (src) => !src.includes('.inlay-build') });
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const project: TempProject = {
    dir,
    read: (file) => readFileSync(join(dir, file), 'utf8'),
    write: (file, text) => {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    },
    edit: (file, from, to) => {
      const text = project.read(file);
      if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
      project.write(file, text.replace(from, to));
    },
    lineOf: (file, text) => {
      const index = project
        .read(file)
        .split('\n')
        .findIndex((l) => l.includes(text));
      if (index < 0) throw new Error(`${file} has no line with ${JSON.stringify(text)}`);
      return index + 1;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  return project;
}

/** A minimal component module named `name` (meta in the same file). */
export function componentSource(name: string, metaName = name): string {
  return `import { defineComponent } from '@inlay/react';

export const meta = {
  name: '${metaName}',
  label: '${metaName}',
  inputs: [{ name: 'title', type: 'string', label: 'Title' }],
} as const;

function ${name}({ title }: { title?: string | undefined }) {
  return <p>{title}</p>;
}

export default defineComponent(${name}, meta, { props: (inputs) => ({ title: inputs.title }) });
`;
}
