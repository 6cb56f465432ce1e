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
  tarGz,
} from '../bundle/pack.js';
import { EXIT_ERROR, UsageError } from './errors.js';
import { resolveProject } from './project.js';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:4000';
const UPLOAD_PATH = '/api/v1/bundle/upload';
/** A push is a few small files; a server that has not answered by then is stuck, not busy. */
const TIMEOUT_MS = 120_000;

interface PushFlags {
  project?: string;
  server?: string;
  apiKey?: string;
  dryRun?: boolean;
  description?: string;
}

/** What the route answers on success (packages/server/src/routes/bundle.ts). */
interface UploadResult {
  modelVersion: string | null;
  created: boolean;
  dashboards: { name: string; version: string }[];
  /** The components version now served (absent from servers older than components). */
  componentsVersion?: string | null;
  componentsCreated?: boolean;
}

/** The error body every route answers with; a 422 adds one entry per problem. */
interface ErrorBody {
  errorMessage?: string;
  hint?: string;
  errors?: { errorMessage?: string }[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** `--server`, else `INLAY_SERVER_URL`, else the local default; a base path is kept (`https://host/inlay`). */
function serverUrl(flag: string | undefined): URL {
  const text = flag || process.env.INLAY_SERVER_URL || DEFAULT_SERVER_URL;
  const from = flag ? '--server' : process.env.INLAY_SERVER_URL ? 'INLAY_SERVER_URL' : 'the default';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${from} '${text}' is not a URL; give one such as ${DEFAULT_SERVER_URL}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${from} '${text}' must start with http:// or https://.`);
  }
  if (url.username || url.password) {
    throw new UsageError(
      `${from} must not carry a user or password; pass the API key with --api-key or INLAY_API_KEY.`,
    );
  }
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** The base address as people write it: no trailing slash, so paths append with one. */
function shownUrl(url: URL): string {
  return url.href.replace(/\/+$/, '');
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
  if (build) parts.push(plural(build.components.length, 'built component'));
  return parts.join(', ');
}

/** A refused push: the server's message, each problem it listed, and what to do about the common ones. */
function printHttpError(res: Response, text: string, url: URL): void {
  let body: ErrorBody | undefined;
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    // Not an Inlay answer (a proxy's HTML page, say): show its start so the cause is visible.
  }
  const status = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  const message = body?.errorMessage;
  const lines = [
    `error: the server at ${shownUrl(url)} refused the push (${status})${
      message ? `: ${message}` : text.trim() ? `: ${text.trim().slice(0, 300)}` : ''
    }`,
  ];
  const problems = body?.errors ?? [];
  // One problem is already the message itself; several are listed one per line.
  if (problems.length > 1) for (const p of problems) if (p.errorMessage) lines.push(`  ${p.errorMessage}`);
  if (body?.hint && !message?.includes(body.hint)) lines.push(body.hint);
  if (res.status === 422) lines.push('(file paths are relative to the project folder)');
  if (res.status === 401) {
    lines.push(
      'Check the API key: pass the workspace key with --api-key or INLAY_API_KEY (`inlay start` prints it on first start).',
    );
  }
  if (res.status === 404) {
    lines.push(
      `Is ${shownUrl(url)} an Inlay server's base address? The push goes to <base>${UPLOAD_PATH}; set --server or INLAY_SERVER_URL to the base, e.g. ${DEFAULT_SERVER_URL}.`,
    );
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** fetch() fails with a bare "fetch failed"; the cause says whether nobody listens, the name is wrong, … */
function networkError(err: unknown, url: URL): Error {
  const where = shownUrl(url);
  if (err instanceof DOMException && err.name === 'TimeoutError') {
    return new Error(`the server at ${where} did not answer within ${TIMEOUT_MS / 1000} s.`);
  }
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const how = `Start it with \`npx inlay start\`, or point --server or INLAY_SERVER_URL at a running server.`;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return new Error(
        `cannot connect to the Inlay server at ${where}: connection refused (is it running?). ${how}`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new Error(
        `cannot connect to the Inlay server at ${where}: host '${url.hostname}' not found. ${how}`,
      );
    default:
      return new Error(
        `cannot reach the Inlay server at ${where}: ${cause?.message ?? (err as Error).message ?? String(err)}. Check that --server or INLAY_SERVER_URL points at a running Inlay server.`,
      );
  }
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
  const url = serverUrl(flags.server);
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
  const files = [...bundle.models, ...bundle.dashboards, ...(build?.files ?? [])].sort((a, b) =>
    a.path < b.path ? -1 : 1,
  );
  const archive = tarGz(files);
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

  const form = new FormData();
  // A string part, not a Blob: a Blob would arrive as a second file, which the route refuses.
  form.append(
    'request',
    JSON.stringify({
      pushModels: true,
      // Without a build the server keeps the components it has (a models-only push).
      pushComponents: build !== undefined,
      ...(flags.description ? { description: flags.description } : {}),
    }),
  );
  form.append('file', new Blob([new Uint8Array(archive)], { type: 'application/gzip' }), 'bundle.tar.gz');
  const endpoint = `${shownUrl(url)}${UPLOAD_PATH}`;
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
      body: form,
      // Following a redirect would resend the key to wherever it points, and turn the POST into a GET.
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    throw networkError(e, url);
  }
  const text = await res.text();
  if (res.status >= 300 && res.status < 400) {
    const to = res.headers.get('location');
    throw new Error(
      `the server at ${shownUrl(url)} redirects (${res.status}${to ? ` to ${to}` : ''}); pass the final address as --server.`,
    );
  }
  if (!res.ok) {
    printHttpError(res, text, url);
    return EXIT_ERROR;
  }
  let result: UploadResult;
  try {
    result = JSON.parse(text) as UploadResult;
    if (!Array.isArray(result.dashboards)) throw new Error('no dashboards list');
  } catch {
    throw new Error(
      `the server at ${shownUrl(url)} answered ${res.status} but not with a push result; is it an Inlay server?`,
    );
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
