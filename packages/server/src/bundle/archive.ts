import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { COMPONENTS_BUILD_DIR, InlayError } from '@inlay/core';
import { unzipSync } from 'fflate';
import { extract as tarExtract } from 'tar-stream';
import { PRESET_FILE } from '../presets/parse.js';

export interface ArchiveLimits {
  /** Entries of any kind (files, folders, links) the archive may hold. */
  maxEntries: number;
  /** Uncompressed bytes of the files we keep, all together (a zip bomb stops here). */
  maxUnpackedBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 2_000,
  maxUnpackedBytes: 50 * 1024 * 1024,
};

export interface BundleFiles {
  /** `models/**\/*.cube.yml` by archive path. */
  models: Record<string, string>;
  /** `*.embeddable.yml` anywhere in the archive. */
  dashboards: { path: string; content: string }[];
  /** `presets/*.sc.yml` and `presets/*.cc.yml`: the builder's "view as" presets. */
  presets: { path: string; content: string }[];
  /**
   * `.inlay-build/` as `inlay build` wrote it: the manifest and the bundled files by their path
   * inside the build folder (`components/X-HASH.js`), as bytes, so their SHA-256 can be checked.
   */
  components: { manifest: Buffer | undefined; files: Record<string, Buffer> };
}

const MODEL_FILE = /^models\/(?:[^/]+\/)*[^/]+\.cube\.ya?ml$/;
const DASHBOARD_FILE = /(?:^|\/)[^/]+\.embeddable\.ya?ml$/;
/** The components build: its manifest, and files shaped as the manifest's paths (checked there). */
const BUILD_MANIFEST = `${COMPONENTS_BUILD_DIR}/manifest.json`;
const BUILD_FILE = new RegExp(`^${COMPONENTS_BUILD_DIR.replace('.', '\\.')}/((?:components|chunks)/[^/]+)$`);

const bad = (message: string, hint?: string) =>
  new InlayError('QUERY_INVALID', message, hint ? { hint } : {});

/**
 * An entry name as a safe relative path (`./models/a.cube.yml` → `models/a.cube.yml`). Absolute
 * paths, `..` segments, backslashes and NUL are refused: the archive is someone else's input.
 */
export function safeEntryPath(name: string): string {
  if (name.includes('\0') || name.includes('\\'))
    throw bad(`archive entry '${name}' has a forbidden character`);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name))
    throw bad(`archive entry '${name}' is an absolute path`);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) {
    throw bad(`archive entry '${name}' leaves the bundle (..)`, 'Build the archive from the project folder.');
  }
  return parts.join('/');
}

function keep(out: BundleFiles, path: string, bytes: Buffer): void {
  if (path === BUILD_MANIFEST) {
    out.components.manifest = bytes;
    return;
  }
  const built = BUILD_FILE.exec(path);
  if (built) {
    out.components.files[built[1]!] = bytes;
    return;
  }
  const content = bytes.toString('utf8');
  if (MODEL_FILE.test(path)) out.models[path] = content;
  else if (DASHBOARD_FILE.test(path)) out.dashboards.push({ path, content });
  else if (PRESET_FILE.test(path)) out.presets.push({ path, content });
}

function wanted(path: string): boolean {
  return (
    MODEL_FILE.test(path) ||
    DASHBOARD_FILE.test(path) ||
    PRESET_FILE.test(path) ||
    path === BUILD_MANIFEST ||
    BUILD_FILE.test(path)
  );
}

async function readTarGz(data: Buffer, limits: ArchiveLimits, out: BundleFiles): Promise<void> {
  const extract = tarExtract();
  const source = Readable.from([data]).pipe(createGunzip());
  source.on('error', (e) => extract.destroy(e));
  source.pipe(extract);
  let entries = 0;
  let unpacked = 0;
  try {
    for await (const entry of extract) {
      const { name, type, size = 0 } = entry.header;
      if (++entries > limits.maxEntries) throw bad(`the archive has more than ${limits.maxEntries} entries`);
      const path = safeEntryPath(name);
      if (type !== 'file' || !wanted(path)) {
        entry.resume();
        continue;
      }
      unpacked += size;
      if (unpacked > limits.maxUnpackedBytes) {
        throw bad(`the archive unpacks to more than ${limits.maxUnpackedBytes} bytes`);
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      keep(out, path, Buffer.concat(chunks));
    }
  } catch (e) {
    source.destroy();
    if (e instanceof InlayError) throw e;
    throw bad(`the file is not a readable .tar.gz archive: ${(e as Error).message}`);
  }
}

function readZip(data: Buffer, limits: ArchiveLimits, out: BundleFiles): void {
  let entries = 0;
  let unpacked = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), {
      // Runs on the central directory, before anything is inflated.
      filter: (f) => {
        if (++entries > limits.maxEntries)
          throw bad(`the archive has more than ${limits.maxEntries} entries`);
        const path = safeEntryPath(f.name);
        if (f.name.endsWith('/') || !wanted(path)) return false;
        unpacked += f.originalSize;
        if (unpacked > limits.maxUnpackedBytes) {
          throw bad(`the archive unpacks to more than ${limits.maxUnpackedBytes} bytes`);
        }
        return true;
      },
    });
  } catch (e) {
    if (e instanceof InlayError) throw e;
    throw bad(`the file is not a readable .zip archive: ${(e as Error).message}`);
  }
  for (const [name, bytes] of Object.entries(files)) {
    keep(out, safeEntryPath(name), Buffer.from(bytes));
  }
}

/** The model, dashboard, preset and components-build files of a bundle (`.tar.gz` or `.zip`, told apart by content). */
export async function readBundle(
  data: Buffer,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<BundleFiles> {
  const out: BundleFiles = {
    models: {},
    dashboards: [],
    presets: [],
    components: { manifest: undefined, files: {} },
  };
  if (data[0] === 0x1f && data[1] === 0x8b) await readTarGz(data, limits, out);
  else if (data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) readZip(data, limits, out);
  else throw bad('the bundle must be a .tar.gz or a .zip archive');
  out.dashboards.sort((a, b) => (a.path < b.path ? -1 : 1));
  return out;
}
