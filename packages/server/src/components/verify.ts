import { createHash } from 'node:crypto';
import {
  COMPONENTS_BUILD_DIR,
  type ComponentsManifest,
  componentsManifestSchema,
  InlayError,
} from '@inlay/core';
import type { ComponentFileBodies } from '../store/index.js';

export interface ComponentLimits {
  /** Largest single file (a component's module, a chunk, a CSS file). */
  maxFileBytes: number;
  /** All files of one build together. */
  maxTotalBytes: number;
  /** The manifest itself. */
  maxManifestBytes: number;
}

export const DEFAULT_COMPONENT_LIMITS: ComponentLimits = {
  maxFileBytes: 5 * 1024 * 1024,
  maxTotalBytes: 20 * 1024 * 1024,
  maxManifestBytes: 1024 * 1024,
};

export interface VerifiedComponents {
  manifest: ComponentsManifest;
  /** Each file's text by its SHA-256. */
  bodies: ComponentFileBodies;
}

const MANIFEST = `${COMPONENTS_BUILD_DIR}/manifest.json`;
const inBuild = (path: string) => `${COMPONENTS_BUILD_DIR}/${path}`;
const REBUILD = 'Run `npx inlay build` again, then push.';

/** A 400 that names the file at fault (and where in it), as every refusal of a build does. */
const refuse = (file: string, message: string, path?: string, hint = REBUILD) =>
  new InlayError('QUERY_INVALID', `${file}${path ? ` (${path})` : ''}: ${message}`, {
    where: { file, ...(path ? { path } : {}) },
    hint,
  });

/** `components[2].meta.inputs[0].name`, with the component's name when the path is inside one. */
function issuePath(path: readonly PropertyKey[], raw: unknown): string {
  const text = path.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)),
    '',
  );
  if (path[0] !== 'components' || typeof path[1] !== 'number') return text;
  const name = (raw as { components?: { name?: unknown }[] }).components?.[path[1]]?.name;
  return typeof name === 'string' ? `${text} of component '${name}'` : text;
}

/** Text the stores keep byte for byte: valid UTF-8 (it round-trips) and no NUL (PostgreSQL text refuses it). */
function asText(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  const text = bytes.toString('utf8');
  return Buffer.byteLength(text) === bytes.length && Buffer.from(text, 'utf8').equals(bytes)
    ? text
    : undefined;
}

/**
 * Checks a pushed components build before anything is stored: the manifest's shape (every meta
 * against `componentMetaSchema`), its names, and every file against the manifest (present, its
 * size and SHA-256, within the limits, UTF-8). The first problem is a 400 naming the file.
 * `reserved`: names a workspace component may not take (the standard library's).
 */
export function verifyComponents(
  build: { manifest: Buffer | undefined; files: Record<string, Buffer> },
  reserved: ReadonlySet<string>,
  limits: ComponentLimits = DEFAULT_COMPONENT_LIMITS,
): VerifiedComponents {
  if (!build.manifest) {
    const [first] = Object.keys(build.files);
    throw refuse(inBuild(first ?? ''), `the bundle has no ${MANIFEST} to say what this file is`);
  }
  if (build.manifest.length > limits.maxManifestBytes) {
    throw refuse(
      MANIFEST,
      `${build.manifest.length} bytes, more than the limit of ${limits.maxManifestBytes}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(build.manifest.toString('utf8'));
  } catch (e) {
    throw refuse(MANIFEST, `not JSON: ${(e as Error).message}`);
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (format !== 1) {
    throw refuse(
      MANIFEST,
      `format ${JSON.stringify(format)} is not one this server knows (1)`,
      'format',
      'Build with an @inlay/sdk as old as this server, or upgrade the server.',
    );
  }
  const parsed = componentsManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3);
    const where = issuePath(issues[0]!.path, raw);
    const message = issues.map((i) => `${issuePath(i.path, raw) || 'manifest'}: ${i.message}`).join('; ');
    throw refuse(MANIFEST, message, where || undefined);
  }
  const manifest = parsed.data;

  const names = new Set<string>();
  manifest.components.forEach((c, i) => {
    const at = `components[${i}]`;
    if (c.meta.name !== c.name) {
      throw refuse(MANIFEST, `component '${c.name}' has meta.name '${c.meta.name}'; they must be equal`, at);
    }
    if (names.has(c.name)) throw refuse(MANIFEST, `two components are named '${c.name}'`, at);
    if (reserved.has(c.name)) {
      throw refuse(
        MANIFEST,
        `'${c.name}' is a standard component's name`,
        at,
        'Rename the component (its meta.name): the standard library keeps its names.',
      );
    }
    names.add(c.name);
    if (!c.file.endsWith('.js'))
      throw refuse(MANIFEST, `component '${c.name}': its file must be a .js module`, at);
    for (const f of [c.file, ...c.imports]) {
      if (!manifest.files[f])
        throw refuse(MANIFEST, `component '${c.name}' names ${f}, which files does not list`, at);
    }
  });

  for (const path of Object.keys(build.files)) {
    if (!manifest.files[path]) throw refuse(inBuild(path), `not in ${MANIFEST} (a stale build?)`);
  }
  const bodies: ComponentFileBodies = {};
  let total = 0;
  for (const [path, expected] of Object.entries(manifest.files)) {
    const file = inBuild(path);
    const bytes = build.files[path];
    if (!bytes) throw refuse(file, `listed in ${MANIFEST} but missing from the bundle`);
    if (bytes.length > limits.maxFileBytes) {
      throw refuse(file, `${bytes.length} bytes, more than the limit of ${limits.maxFileBytes} per file`);
    }
    total += bytes.length;
    if (total > limits.maxTotalBytes) {
      throw refuse(
        file,
        `the components files add up to more than the limit of ${limits.maxTotalBytes} bytes`,
      );
    }
    if (bytes.length !== expected.bytes) {
      throw refuse(file, `${bytes.length} bytes, but the manifest says ${expected.bytes}`);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== expected.sha256) {
      throw refuse(file, `its SHA-256 is ${sha256}, but the manifest says ${expected.sha256}`);
    }
    const text = asText(bytes);
    if (text === undefined) throw refuse(file, 'not UTF-8 text (or it holds a NUL byte)');
    bodies[sha256] = text;
  }
  return { manifest, bodies };
}
