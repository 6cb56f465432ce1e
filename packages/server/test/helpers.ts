import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { buildApp, createProjectWorkspace, hashApiKey, type InlayApp, type Workspace } from '../src/index.js';

/** A project workspace on the flights demo's models and the test DuckDB file (vitest globalSetup builds it). */
export function flightsWorkspace(): Workspace {
  return createProjectWorkspace({
    projectDir: flightsProjectDir,
    connection: { type: 'duckdb', credentials: { path: testDataPaths().duckdbPath } },
  });
}

export const API_KEY = 'inlay_test-key-0123456789abcdefghijklmnopqrstuv';
export const AUTH = { authorization: `Bearer ${API_KEY}` };

export interface TestApp {
  app: InlayApp;
  /** Every JSON log line written so far. */
  logs: string[];
}

/** The app on the test DuckDB file (prepared by vitest globalSetup), logs captured in memory. */
export function testApp(
  config: {
    maxBodyBytes?: number;
    secretKey?: Buffer;
    /** Wraps the demo workspace, e.g. to count what the routes ask of it. */
    wrapWorkspace?: (workspace: Workspace) => Workspace;
    /** Default `debug`, so redaction tests see every line a request can log. */
    logLevel?: string;
    /** The L1 budget (off by default, as `buildApp` has it). */
    cacheMaxBytes?: number;
  } = {},
): TestApp {
  const logs: string[] = [];
  const demo = flightsWorkspace();
  const workspace = config.wrapWorkspace ? config.wrapWorkspace(demo) : demo;
  const app = buildApp({
    config: {
      apiKeyHash: hashApiKey(API_KEY),
      ...(config.secretKey ? { secretKey: config.secretKey } : {}),
      maxBodyBytes: config.maxBodyBytes ?? 1024 * 1024,
      queryTimeoutMs: 30_000,
      maxRows: 50_000,
      ...(config.cacheMaxBytes ? { cacheMaxBytes: config.cacheMaxBytes } : {}),
    },
    workspace,
    logger: { level: config.logLevel ?? 'debug', stream: { write: (line) => void logs.push(line) } },
  });
  return { app, logs };
}

/** `inlay_session=<value>` from a sign-in answer's Set-Cookie, ready for a `cookie` header. */
export function cookieOf(res: { headers: Record<string, unknown> }): string {
  const header = String(res.headers['set-cookie'] ?? '');
  const m = /inlay_session=([^;]*)/.exec(header);
  if (!m) throw new Error(`no session cookie in ${header}`);
  return `inlay_session=${m[1]}`;
}
