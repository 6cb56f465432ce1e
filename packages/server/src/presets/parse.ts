import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ClientContextPreset,
  clientContextPresetFileSchema,
  InlayError,
  type Presets,
  type SecurityContextPreset,
  securityContextPresetFileSchema,
} from '@inlay/core';
import { parse } from 'yaml';

/** `presets/<name>.sc.yml` (security contexts) and `presets/<name>.cc.yml` (client contexts). */
export const PRESET_FILE = /^presets\/[^/]+\.(sc|cc)\.ya?ml$/;

export const NO_PRESETS: Presets = { securityContexts: [], clientContexts: [] };

/**
 * Every preset file of a project or a push, checked: a bad one names its file and the entry.
 * Names are unique across files of a kind, so the builder can offer them by name.
 */
export function parsePresetFiles(files: { path: string; content: string }[]): Presets {
  const securityContexts: SecurityContextPreset[] = [];
  const clientContexts: ClientContextPreset[] = [];
  for (const { path, content } of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const kind = PRESET_FILE.exec(path)?.[1];
    if (!kind) continue;
    let data: unknown;
    try {
      data = parse(content) ?? [];
    } catch (err) {
      throw invalid(path, `is not YAML: ${(err as Error).message.split('\n')[0]}`);
    }
    const schema = kind === 'sc' ? securityContextPresetFileSchema : clientContextPresetFileSchema;
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const at = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      throw invalid(path, `${at || 'the file'}: ${issue.message}`);
    }
    const into: { name: string }[] = kind === 'sc' ? securityContexts : clientContexts;
    for (const preset of parsed.data) {
      if (into.some((p) => p.name === preset.name))
        throw invalid(path, `a preset named '${preset.name}' exists already`);
      into.push(preset as never);
    }
  }
  return { securityContexts, clientContexts };
}

function invalid(path: string, message: string): InlayError {
  return new InlayError('MODEL_INVALID', `${path} ${message}`, {
    where: { file: path },
    hint: 'A *.sc.yml is a list of {name, securityContext, roles?, environment?}; a *.cc.yml a list of {name, clientContext}.',
  });
}

/** `<projectDir>/presets/*.sc.yml` and `*.cc.yml`, as `presets/<file>` paths; none when absent. */
export async function readPresetDir(projectDir: string): Promise<{ path: string; content: string }[]> {
  const names = await readdir(join(projectDir, 'presets')).catch(() => [] as string[]);
  const paths = names.map((n) => `presets/${n}`).filter((p) => PRESET_FILE.test(p));
  return Promise.all(
    paths.map(async (path) => ({ path, content: await readFile(join(projectDir, path), 'utf8') })),
  );
}
