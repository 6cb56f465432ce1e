import { MAX_TOKEN_EXPIRY_SECONDS } from '@inlay/core';
import { Command } from 'commander';
import { EXIT_ERROR, parseJsonArg, UsageError } from './errors.js';
import { apiKeyFrom, DEFAULT_SERVER, describeRefusal, postWithKey, serverBaseUrl, shownUrl } from './http.js';

const TOKEN_PATH = '/api/v1/security-token';
/** Signing a token is instant; a server that has not answered by then is not coming back. */
const TIMEOUT_MS = 30_000;
/** For local testing a token should not outlive the session it is tried in. */
const DEFAULT_TTL = '1h';
export const DEFAULT_TOKEN_USER = 'local-test';

interface TokenFlags {
  dashboard: string;
  context?: string;
  roles?: string;
  environment?: string;
  ttl: string;
  user: string;
  savedVersion?: string;
  server?: string;
  apiKey?: string;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90`, `90s`, `10m`, `2h`, `7d` → seconds; a usage error for anything else or beyond 30 days. */
export function parseTtl(text: string): number {
  const m = /^\s*(\d+)\s*([smhd]?)\s*$/.exec(text);
  if (!m) throw new UsageError(`--ttl '${text}' is not a duration; write e.g. 90s, 10m, 2h or 7d.`);
  const seconds = Number(m[1]) * UNIT_SECONDS[m[2] || 's']!;
  if (seconds < 1 || seconds > MAX_TOKEN_EXPIRY_SECONDS) {
    throw new UsageError(
      `--ttl '${text}' must be between 1 s and ${MAX_TOKEN_EXPIRY_SECONDS / 86_400} days.`,
    );
  }
  return seconds;
}

function parseRoles(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const roles = text
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (roles.length === 0)
    throw new UsageError(`--roles '${text}' names no role; write e.g. --roles admin,viewer.`);
  return roles;
}

/** Asks the server for a security token (as a host backend would) and prints it; returns the exit code. */
export async function runToken(flags: TokenFlags): Promise<number> {
  // Everything is checked before the request, so a typo never reaches the server.
  const securityContext = flags.context === undefined ? {} : parseJsonArg(flags.context, '--context');
  const roles = parseRoles(flags.roles);
  const expiryInSeconds = parseTtl(flags.ttl);
  const url = serverBaseUrl(flags.server);
  const apiKey = apiKeyFrom(flags.apiKey);
  const body = {
    embeddableId: flags.dashboard,
    ...(flags.savedVersion ? { savedVersion: flags.savedVersion } : {}),
    expiryInSeconds,
    securityContext,
    user: flags.user,
    ...(roles ? { roles } : {}),
    ...(flags.environment ? { environment: flags.environment } : {}),
  };

  const { res, text } = await postWithKey(
    url,
    TOKEN_PATH,
    apiKey,
    { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
    TIMEOUT_MS,
  );
  if (!res.ok) {
    const { message, hint } = describeRefusal(res, text);
    const lines = [`error: the server at ${shownUrl(url)} refused the token (${message})`];
    if (hint) lines.push(hint);
    if (res.status === 401) {
      lines.push(
        `Check the API key (from ${flags.apiKey ? '--api-key' : 'INLAY_API_KEY'}): it must be the workspace key \`inlay start\` printed on first start.`,
      );
    }
    if (res.status === 404 && !text.includes('dashboard')) {
      lines.push(
        `Is ${shownUrl(url)} an Inlay server's base address? The request goes to <base>${TOKEN_PATH}.`,
      );
    }
    process.stderr.write(`${lines.join('\n')}\n`);
    return EXIT_ERROR;
  }
  let token: unknown;
  try {
    token = (JSON.parse(text) as { token?: unknown }).token;
  } catch {
    // Reported below with the other shapes that are not a token.
  }
  if (typeof token !== 'string' || !token) {
    throw new Error(
      `the server at ${shownUrl(url)} answered ${res.status} but not with a token; is it an Inlay server?`,
    );
  }
  // Only the token on stdout, so `TOKEN=$(npx inlay token …)` works; the summary is for people.
  process.stdout.write(`${token}\n`);
  if (process.stderr.isTTY) {
    const expires = new Date(Date.now() + expiryInSeconds * 1000).toISOString();
    process.stderr.write(
      `(dashboard '${flags.dashboard}', user '${flags.user}', roles ${roles?.join(',') ?? 'default'}, expires ${expires})\n`,
    );
  }
  return 0;
}

export function tokenCommand(): Command {
  return new Command('token')
    .description(
      'print a security token for a dashboard, as a host backend would get one (for local testing)',
    )
    .requiredOption('--dashboard <name>', 'the dashboard, by name or id')
    .option(
      '--context <json>',
      'the security context the token carries, e.g. \'{"states":["CA"]}\' (default {})',
    )
    .option('--roles <a,b>', "access-policy roles (default: the server's, 'default')")
    .option('--environment <name>', "which connections answer (default: 'default')")
    .option('--ttl <duration>', 'lifetime: 90s, 10m, 2h, 7d (at most 30d)', DEFAULT_TTL)
    .option('--user <id>', 'who the token is for (the JWT subject)', DEFAULT_TOKEN_USER)
    .option('--saved-version <v>', "the dashboard version or tag (default: the server's, 'production')")
    .option('--server <url>', `server address (default: $INLAY_SERVER_URL or ${DEFAULT_SERVER})`)
    .option(
      '--api-key <key>',
      'workspace API key (default: $INLAY_API_KEY, which keeps it out of shell history)',
    )
    .action(async (flags: TokenFlags) => {
      process.exitCode = await runToken(flags);
    });
}
