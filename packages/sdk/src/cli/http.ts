import { UsageError } from './errors.js';

/**
 * What CLI commands that call a running server share: where it is, how an API key is found, and
 * how a failed request is told to a person (never with the key in it).
 */

export const DEFAULT_SERVER = 'http://127.0.0.1:4000';

/** `--server`, else `INLAY_SERVER_URL`, else the local default; a base path is kept (`https://host/inlay`). */
export function serverBaseUrl(flag: string | undefined): URL {
  const text = flag || process.env.INLAY_SERVER_URL || DEFAULT_SERVER;
  const from = flag ? '--server' : process.env.INLAY_SERVER_URL ? 'INLAY_SERVER_URL' : 'the default';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${from} '${text}' is not a URL; give one such as ${DEFAULT_SERVER}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${from} '${text}' must start with http:// or https://.`);
  }
  if (url.username || url.password) {
    // A key in the URL would end up in messages and logs; it travels only in the header.
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
export function shownUrl(url: URL): string {
  return url.href.replace(/\/+$/, '');
}

/** `--api-key`, else `INLAY_API_KEY`; a usage error naming both when neither is set. */
export function apiKeyFrom(flag: string | undefined): string {
  const key = flag || process.env.INLAY_API_KEY || '';
  if (!key) {
    throw new UsageError(
      'no API key: set INLAY_API_KEY (preferred: it stays out of your shell history) or pass --api-key <key>. The workspace key is the one `inlay start` printed on first start.',
    );
  }
  return key;
}

/** The error body every route answers with. */
export interface ErrorBody {
  errorMessage?: string;
  code?: string;
  hint?: string;
}

/** The server's `{errorMessage, hint}`, or the start of whatever else it sent (a proxy's page). */
export function describeRefusal(res: Response, text: string): { message: string; hint?: string } {
  let body: ErrorBody | undefined;
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    // Not an Inlay answer: show its start so the cause is visible.
  }
  const status = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  const detail = body?.errorMessage ?? text.trim().slice(0, 300);
  return {
    message: detail ? `${status}: ${detail}` : status,
    ...(body?.hint && !detail.includes(body.hint) ? { hint: body.hint } : {}),
  };
}

/** fetch() fails with a bare "fetch failed"; the cause says whether nobody listens, the name is wrong, … */
export function networkError(err: unknown, url: URL, timeoutMs: number): Error {
  const where = shownUrl(url);
  if (err instanceof DOMException && err.name === 'TimeoutError') {
    return new Error(`the server at ${where} did not answer within ${timeoutMs / 1000} s.`);
  }
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const how = 'Start it with `npx inlay start`, or point --server or INLAY_SERVER_URL at a running server.';
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
        `cannot reach the Inlay server at ${where}: ${cause?.message ?? (err as Error).message ?? String(err)}. ${how}`,
      );
  }
}

/**
 * POSTs to `<base><path>` with the API key, and reads the answer's text. Never follows a redirect
 * (that would resend the key to wherever it points): one is an error naming the final address.
 */
export async function postWithKey(
  url: URL,
  path: string,
  apiKey: string,
  request: { body: BodyInit; headers?: Record<string, string> },
  timeoutMs: number,
): Promise<{ res: Response; text: string }> {
  let res: Response;
  try {
    res = await fetch(`${shownUrl(url)}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, ...request.headers },
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw networkError(e, url, timeoutMs);
  }
  const text = await res.text();
  if (res.status >= 300 && res.status < 400) {
    const to = res.headers.get('location');
    throw new Error(
      `the server at ${shownUrl(url)} redirects (${res.status}${to ? ` to ${to}` : ''}); pass the final address as --server.`,
    );
  }
  return { res, text };
}
