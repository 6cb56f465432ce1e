import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type InlayError, isInlayError } from '@inlay/core';
import { compileModel, ModelErrors, type SemanticModel } from '@inlay/engine';
import { Command } from 'commander';
import {
  type BundleFile,
  type ComponentsBuild,
  collectBundle,
  collectComponentsBuild,
  type ProjectBundle,
} from '../bundle/pack.js';
import { EXIT_ERROR, UsageError } from './errors.js';
import { shownUrl } from './http.js';
import { resolveProject } from './project.js';
import { DEFAULT_SERVER_URL, PushRefused, packFiles, type UploadResult, uploadArchive } from './upload.js';

export { DEFAULT_SERVER_URL } from './upload.js';

import { serverBaseUrl } from './http.js';

interface PushFlags {
  project?: string;
  server?: string;
  apiKey?: string;
  dryRun?: boolean;
  description?: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Each problem on its own line (`file:line cube 'x': message hint`), as `inlay validate` prints them. */
function printModelErrors(errors: readonly InlayError[], where: string): void {
  for (const err of errors) process.stderr.write(`${err.describe()}\n`);
  process.stderr.write(
    `\n${plural(errors.length, 'problem')} in the models of ${where}; nothing was pushed.\n`,
  );
}

/**
 * Compiles exactly the files that will be sent, so a local pass predicts the server's compile.
 * Paths are shown relative to the working directory, like `inlay validate`, so they open from there.
 */
function compileLocally(dir: string, models: readonly BundleFile[]): SemanticModel {
  const cwd = process.cwd();
  return compileModel(
    models.map((f) => ({ path: relative(cwd, join(dir, f.path)) || f.path, content: f.content })),
  );
}

function describeFiles(bundle: ProjectBundle, build: ComponentsBuild | undefined): string {
  const parts = [
    plural(bundle.models.length, 'model file'),
    plural(bundle.dashboards.length, 'dashboard file'),
  ];
  if (bundle.presets.length > 0) parts.push(plural(bundle.presets.length, 'preset file'));
  if (build) parts.push(plural(build.components.length, 'built component'));
  return parts.join(', ');
}

/** Packs, validates and sends the project's models, dashboards and components build; returns the exit code. */
export async function runPush(flags: PushFlags): Promise<number> {
  // No fallback to the demo project here: pushing it by accident would replace a workspace's models.
  const project = resolveProject(flags.project ?? '.');
  const rel = relative(process.cwd(), project.dir);
  const where = rel === '' ? '.' : rel.startsWith('..') ? project.dir : rel;
  if (!existsSync(join(project.dir, 'models')) || !statSync(join(project.dir, 'models')).isDirectory()) {
    throw new UsageError(
      `${where === '.' ? `the current folder (${project.dir})` : where} has no models/ folder. Run push from your project folder or pass --project <dir>.`,
    );
  }
  const url = serverBaseUrl(flags.server);
  const apiKey = flags.apiKey || process.env.INLAY_API_KEY || '';
  if (!flags.dryRun && !apiKey) {
    throw new UsageError(
      'no API key: set INLAY_API_KEY (preferred: it stays out of your shell history) or pass --api-key <key>. The workspace key is the one `inlay start` printed on first start.',
    );
  }

  const bundle = await collectBundle(project.dir);
  if (bundle.scriptModels.length > 0) {
    process.stderr.write(
      `error: ${bundle.scriptModels.join(', ')}: the server accepts YAML models only (models/**/*.cube.yml), so these would not be pushed. Convert them to YAML, or move them out of models/.\n`,
    );
    return EXIT_ERROR;
  }
  if (bundle.models.length === 0) {
    process.stderr.write(
      `error: no model files (models/**/*.cube.yml) under ${join(where, 'models')}; nothing to push.\n`,
    );
    return EXIT_ERROR;
  }
  let build: ComponentsBuild | undefined;
  try {
    build = await collectComponentsBuild(project.dir);
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return EXIT_ERROR;
  }
  if (!build && existsSync(join(project.dir, 'components'))) {
    process.stderr.write(
      `warning: ${join(where, 'components')} exists but there is no build (${join(where, '.inlay-build', 'manifest.json')}): the components are not pushed. Run \`npx inlay build\` first.\n`,
    );
  }
  let model: SemanticModel;
  try {
    model = compileLocally(project.dir, bundle.models);
  } catch (e) {
    if (e instanceof ModelErrors) printModelErrors(e.errors, where);
    else if (isInlayError(e) && e.code === 'MODEL_INVALID') printModelErrors([e], where);
    else throw e;
    return EXIT_ERROR;
  }
  const { files, archive } = packFiles(bundle, build);
  const summary = `${describeFiles(bundle, build)}, ${size(archive.length)} gzipped`;
  const compiled = `models compile: ${plural(model.cubes.size, 'cube')}, ${plural(model.views.size, 'view')}`;

  if (flags.dryRun) {
    const width = Math.max(...files.map((f) => f.path.length));
    const out = [`Would push from ${where} to ${shownUrl(url)} (${summary}):`];
    for (const f of files) out.push(`  ${f.path.padEnd(width)}  ${size(Buffer.byteLength(f.content))}`);
    out.push(`The ${compiled}.`, 'Dry run: nothing was sent.');
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  }

  let result: UploadResult;
  try {
    result = await uploadArchive(url, apiKey, archive, {
      pushComponents: build !== undefined,
      ...(flags.description ? { description: flags.description } : {}),
    });
  } catch (e) {
    if (!(e instanceof PushRefused)) throw e;
    process.stderr.write(`${e.lines.join('\n')}\n`);
    return EXIT_ERROR;
  }

  const out = [`Pushed ${where} to ${shownUrl(url)} (${summary}); the ${compiled}.`];
  if (result.modelVersion) {
    out.push(
      `Model version: ${result.modelVersion} (${
        result.created ? 'new' : 'already stored: the server had these exact models'
      }), now served.`,
    );
  }
  if (result.componentsVersion) {
    out.push(
      `Components version: ${result.componentsVersion} (${
        !build
          ? 'unchanged: this push had no build'
          : result.componentsCreated
            ? `new: ${build.components.join(', ') || 'no components'}`
            : 'already stored: the server had this exact build'
      }), now served to the builder and pinned by the next saved dashboard version.`,
    );
  }
  out.push(
    result.dashboards.length === 0
      ? 'Dashboards: none in the workspace.'
      : `Dashboards: ${result.dashboards.map((d) => `${d.name} ${d.version}`).join(', ')} (tagged production).`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

export function pushCommand(): Command {
  return new Command('push')
    .description(
      "pack the project's models, dashboards and built components (.inlay-build), check them, and send them to an Inlay server",
    )
    .option('-p, --project <dir>', 'project folder with models/ (default: the current folder)')
    .option('--server <url>', `server address (default: $INLAY_SERVER_URL or ${DEFAULT_SERVER_URL})`)
    .option(
      '--api-key <key>',
      'workspace API key (default: $INLAY_API_KEY, which keeps it out of shell history)',
    )
    .option('--description <text>', 'a note stored with the model version')
    .option('--dry-run', 'list the files and the archive size without sending anything')
    .action(async (flags: PushFlags) => {
      process.exitCode = await runPush(flags);
    });
}
