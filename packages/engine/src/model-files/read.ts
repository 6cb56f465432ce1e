import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InlayError } from '@inlay/core';
import { importModule } from '@inlay/core/import-module';

/** One model source: YAML text, or the object a `*.cube.js` module exported. */
export interface ModelFile {
  /** Path relative to the project, used in every error message. */
  path: string;
  content?: string;
  object?: unknown;
}

const MODEL_FILE = /\.cube\.(ya?ml|js|mjs)$/;

/** Reads `<projectDir>/models/**` (or `projectDir` itself when it has no `models` folder). */
export async function readModelDir(projectDir: string): Promise<ModelFile[]> {
  const modelsDir = path.join(projectDir, 'models');
  const root = (await isDir(modelsDir)) ? modelsDir : projectDir;
  const found = await walk(root);
  if (found.length === 0) {
    throw new InlayError('MODEL_INVALID', `no model files (*.cube.yml, *.cube.js) under ${root}.`, {
      hint: 'Put your cubes in models/*.cube.yml.',
    });
  }
  const files: ModelFile[] = [];
  for (const abs of found.sort()) {
    const rel = path.relative(projectDir, abs);
    if (/\.ya?ml$/.test(abs)) {
      files.push({ path: rel, content: await readFile(abs, 'utf8') });
    } else {
      const mod = await importModule<{ default?: unknown }>(pathToFileURL(abs).href, { nodeOnly: true });
      files.push({ path: rel, object: mod.default ?? mod });
    }
  }
  return files;
}

async function isDir(p: string): Promise<boolean> {
  try {
    await readdir(p);
    return true;
  } catch {
    return false;
  }
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(abs)));
    else if (MODEL_FILE.test(entry.name)) out.push(abs);
  }
  return out;
}
