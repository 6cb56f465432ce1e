import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { COMPONENTS_BUILD_DIR, componentsManifestSchema } from '@inlay/core';

/**
 * The files the server's bundle route keeps (packages/server/src/bundle/archive.ts); it ignores
 * anything else, so these are the only files worth sending. Keep the two in step: models,
 * dashboards, presets, and the components build (`.inlay-build/manifest.json` with the files it lists,
 * `collectComponentsBuild`).
 */
export const MODEL_FILE = /^models\/(?:[^/]+\/)*[^/]+\.cube\.ya?ml$/;
export const DASHBOARD_FILE = /(?:^|\/)[^/]+\.embeddable\.ya?ml$/;
/** The builder's "view as" presets: security contexts (`.sc.yml`) and client contexts (`.cc.yml`). */
export const PRESET_FILE = /^presets\/[^/]+\.(?:sc|cc)\.ya?ml$/;
/** Models the engine reads locally but the bundle route does not accept. */
const SCRIPT_MODEL_FILE = /^models\/.*\.cube\.(?:js|mjs)$/;

export interface BundleFile {
  /** Path inside the project and the archive, `/`-separated (`models/flights.cube.yml`). */
  path: string;
  content: string;
}

/** An entry of the archive: text (models, dashboards) or bytes (built components, whose SHA-256 the server checks). */
export interface ArchiveEntry {
  path: string;
  content: string | Uint8Array;
}

export interface ProjectBundle {
  models: BundleFile[];
  dashboards: BundleFile[];
  presets: BundleFile[];
  /** `models/**\/*.cube.js` files: the server would never see them, so a push must not ignore them silently. */
  scriptModels: string[];
}

/**
 * The bundle's files, sorted by path. Skips `node_modules` and dot folders, as the engine's
 * `readModelDir` does; symlinked files are followed, symlinked folders are not (no cycles).
 */
export async function collectBundle(projectDir: string): Promise<ProjectBundle> {
  const out: ProjectBundle = { models: [], dashboards: [], presets: [], scriptModels: [] };
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(projectDir, rel), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        await walk(path);
        continue;
      }
      if (SCRIPT_MODEL_FILE.test(path)) out.scriptModels.push(path);
      const list = MODEL_FILE.test(path)
        ? out.models
        : DASHBOARD_FILE.test(path)
          ? out.dashboards
          : PRESET_FILE.test(path)
            ? out.presets
            : undefined;
      if (!list) continue;
      const abs = join(projectDir, path);
      if (!entry.isFile() && !(entry.isSymbolicLink() && (await stat(abs)).isFile())) continue;
      list.push({ path, content: await readFile(abs, 'utf8') });
    }
  };
  await walk('');
  return out;
}

export interface ComponentsBuild {
  /** `.inlay-build/manifest.json` and every file it lists, as bytes. */
  files: ArchiveEntry[];
  /** Component names, for the push's summary. */
  components: string[];
}

/**
 * The components build `inlay build` left in `.inlay-build/`, or undefined when there is none.
 * Only the manifest and the files it lists are sent (the server refuses any other), each checked
 * here against the manifest's size and SHA-256 first, so a stale or half-written build is caught
 * before anything is sent, with the file to blame.
 */
export async function collectComponentsBuild(projectDir: string): Promise<ComponentsBuild | undefined> {
  const dir = join(projectDir, COMPONENTS_BUILD_DIR);
  const manifestPath = `${COMPONENTS_BUILD_DIR}/manifest.json`;
  let raw: Buffer;
  try {
    raw = await readFile(join(dir, 'manifest.json'));
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw e;
  }
  let parsed: ReturnType<typeof componentsManifestSchema.safeParse>;
  try {
    parsed = componentsManifestSchema.safeParse(JSON.parse(raw.toString('utf8')));
  } catch (e) {
    throw new Error(`${manifestPath}: not JSON (${(e as Error).message}). Run \`npx inlay build\` again.`);
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `${manifestPath}: ${issue.path.join('.')}: ${issue.message}. Run \`npx inlay build\` again (with this version of @inlay/sdk).`,
    );
  }
  const files: ArchiveEntry[] = [{ path: manifestPath, content: raw }];
  for (const [path, expected] of Object.entries(parsed.data.files)) {
    const where = `${COMPONENTS_BUILD_DIR}/${path}`;
    const bytes = await readFile(join(dir, path)).catch(() => undefined);
    const sha256 = bytes && createHash('sha256').update(bytes).digest('hex');
    if (!bytes || bytes.length !== expected.bytes || sha256 !== expected.sha256) {
      throw new Error(
        `${where}: ${bytes ? 'changed since' : 'missing, though listed by'} ${manifestPath} (a stale build). Run \`npx inlay build\` again.`,
      );
    }
    files.push({ path: where, content: bytes });
  }
  return { files, components: parsed.data.components.map((c) => c.name) };
}

const BLOCK = 512;

function octal(header: Buffer, value: number, offset: number, length: number): void {
  header.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'latin1');
}

/** ustar keeps 100 bytes of name plus a 155-byte prefix, split at a `/`. */
function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  throw new Error(
    `${path}: the path is too long for the bundle archive (at most 100 bytes of file name and 155 of folders). Shorten the file or folder names.`,
  );
}

function tarHeader(path: string, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  const { name, prefix } = splitPath(path);
  h.write(name, 0, 100, 'utf8');
  octal(h, 0o644, 100, 8); // mode
  octal(h, 0, 108, 8); // uid
  octal(h, 0, 116, 8); // gid
  octal(h, size, 124, 12);
  // A fixed mtime: the same files always make the same archive (and the same --dry-run size).
  octal(h, 0, 136, 12);
  h.write('0', 156, 'latin1'); // regular file
  h.write('ustar\u000000', 257, 'latin1');
  h.write(prefix, 345, 155, 'utf8');
  // The checksum is computed with its own field read as spaces.
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return h;
}

/**
 * A `.tar.gz` of the files, built in memory. A few lines of ustar instead of a library: the sdk
 * does not depend on tar-stream (the server's reader), and the bundle only ever holds small files
 * (text, and built JS and CSS), so no long-name or large-file extensions are needed.
 */
export function tarGz(files: readonly ArchiveEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const f of files) {
    const data = typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : Buffer.from(f.content);
    blocks.push(tarHeader(f.path, data.length), data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) blocks.push(Buffer.alloc(pad));
  }
  blocks.push(Buffer.alloc(BLOCK * 2)); // end of archive
  return gzipSync(Buffer.concat(blocks));
}
