import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { type TempProject, tempProject } from './project.js';

/** `inlay build` as a person runs it: the summary, or each problem as `file:line:col` and exit 1. */
describe('inlay build', () => {
  let project: TempProject;
  beforeAll(() => {
    project = tempProject();
  });
  afterAll(() => project?.remove());

  it('prints what it built, with sizes and the time it took', async () => {
    const result = await runCli(['build'], { cwd: project.dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Built 1 component into \.inlay-build in \d+ ms: 1 file, [\d.]+ (?:KiB|B) gzipped\./,
    );
    expect(result.stdout).toMatch(/FlightCount\s+components\/FlightCount-\w+\.js\s+[\d.]+ (?:KiB|B) gz/);
    expect(existsSync(join(project.dir, '.inlay-build', 'manifest.json'))).toBe(true);
  });

  it('a type error: file:line:col on stderr, exit 1', async () => {
    project.edit('components/FlightCount.tsx', "title ?? 'Flights'", "title ?? 'Flights' * 2");
    try {
      const result = await runCli(['build', '-p', project.dir]);
      const line = project.lineOf('components/FlightCount.tsx', "'Flights' * 2");
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`components/FlightCount\\.tsx:${line}:\\d+: .*\\(TS2362\\)`));
      expect(result.stderr).toMatch(/1 problem in .*; nothing was written/);
    } finally {
      project.edit('components/FlightCount.tsx', "title ?? 'Flights' * 2", "title ?? 'Flights'");
    }
  });
});
