import type { ArchiveEntry, ComponentsBuild, ProjectBundle } from '../bundle/pack.js';
import { tarGz } from '../bundle/pack.js';

/**
 * The upload half of `inlay push`: the archive, the request to the bundle route and what its
 * answers mean. `inlay dev` pushes each rebuild to its own server through the same code.
 */

export { DEFAULT_SERVER as DEFAULT_SERVER_URL } from './http.js';

import {
  DEFAULT_SERVER as DEFAULT_SERVER_URL,
  type ErrorBody as HttpErrorBody,
  postWithKey,
  shownUrl,
} from './http.js';

const UPLOAD_PATH = '/api/v1/bundle/upload';
/** A push is a few small files; a server that has not answered by then is stuck, not busy. */
const TIMEOUT_MS = 120_000;

/** What the route answers on success (packages/server/src/routes/bundle.ts). */
export interface UploadResult {
  modelVersion: string | null;
  created: boolean;
  dashboards: { name: string; version: string }[];
  /** The components version now served (absent from servers older than components). */
  componentsVersion?: string | null;
  componentsCreated?: boolean;
}

/** The error body every route answers with; a 422 adds one entry per problem. */
/** A refused push lists each problem besides the server's usual error body. */
interface ErrorBody extends HttpErrorBody {
  errors?: { errorMessage?: string }[];
}

/** A refused push: the server's message, each problem it listed, and what to do about the common ones. */
function httpErrorLines(res: Response, text: string, url: URL): string[] {
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
  return lines;
}

/** A push the server answered with an error: the lines that say why and what to do. */
export class PushRefused extends Error {
  constructor(
    readonly status: number,
    readonly lines: string[],
  ) {
    super(lines[0] ?? `the server refused the push (${status})`);
    this.name = 'PushRefused';
  }
}

/** Models, dashboards and the components build, sorted by path, and their `.tar.gz`. */
export function packFiles(
  bundle: ProjectBundle,
  build: ComponentsBuild | undefined,
): { files: ArchiveEntry[]; archive: Buffer } {
  const files = [...bundle.models, ...bundle.dashboards, ...bundle.presets, ...(build?.files ?? [])].sort(
    (a, b) => (a.path < b.path ? -1 : 1),
  );
  return { files, archive: tarGz(files) };
}

/**
 * Sends the archive to `<url>/api/v1/bundle/upload` with the workspace key. Throws `PushRefused`
 * when the server says no, and an `Error` that says why when it cannot be reached or is not one.
 */
export async function uploadArchive(
  url: URL,
  apiKey: string,
  archive: Buffer,
  request: { pushComponents: boolean; description?: string },
): Promise<UploadResult> {
  const form = new FormData();
  // A string part, not a Blob: a Blob would arrive as a second file, which the route refuses.
  form.append(
    'request',
    JSON.stringify({
      pushModels: true,
      // Without a build the server keeps the components it has (a models-only push).
      pushComponents: request.pushComponents,
      ...(request.description ? { description: request.description } : {}),
    }),
  );
  form.append('file', new Blob([new Uint8Array(archive)], { type: 'application/gzip' }), 'bundle.tar.gz');
  const { res, text } = await postWithKey(url, UPLOAD_PATH, apiKey, { body: form }, TIMEOUT_MS);
  if (!res.ok) throw new PushRefused(res.status, httpErrorLines(res, text, url));
  try {
    const result = JSON.parse(text) as UploadResult;
    if (!Array.isArray(result.dashboards)) throw new Error('no dashboards list');
    return result;
  } catch {
    throw new Error(
      `the server at ${shownUrl(url)} answered ${res.status} but not with a push result; is it an Inlay server?`,
    );
  }
}
