import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyPluginAsync, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { createAccounts, sessionIdentity } from './accounts/accounts.js';
import { createL1 } from './cache/index.js';
import { componentUrls, manifestCache, NO_COMPONENTS } from './components/served.js';
import { OPERATIONS_DEFAULTS, type ServerConfig } from './config/index.js';
import {
  catalogSource,
  createCatalog,
  type DashboardCatalog,
  loadDashboards,
  publishDashboards,
  storeSource,
} from './dashboards/index.js';
import { limitResolver, workspaceLimiter } from './limits/concurrency.js';
import { authPlugin } from './plugins/auth.js';
import { corsPlugin, createOriginPolicy, memoryOriginSettings, storeOriginSettings } from './plugins/cors.js';
import { errorsPlugin } from './plugins/errors.js';
import { healthRoutes } from './plugins/health.js';
import { limitJsonDepth } from './plugins/json-body.js';
import {
  createLoggers,
  type LoggerSettings,
  lazyChildLogger,
  requestLineWriter,
  requestLogPlugin,
} from './plugins/logging.js';
import { createMetrics, metricsPlugin, metricsRoute } from './plugins/metrics.js';
import { openapiPlugin } from './plugins/openapi.js';
import { RateBudget, rateLimitPlugin } from './plugins/rate-limit.js';
import { createPreaggs } from './preaggs/index.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { authRoutes } from './routes/auth.js';
import { type BuilderAssetsOptions, builderAssetRoutes } from './routes/builder-assets.js';
import { builderDashboardRoutes } from './routes/builder-dashboards.js';
import { bundleRoutes } from './routes/bundle.js';
import { cachingRoutes } from './routes/caching.js';
import { componentRoutes } from './routes/components.js';
import { connectionTypeRoutes } from './routes/connection-types.js';
import { connectionRoutes } from './routes/connections.js';
import { dataRoutes } from './routes/data.js';
import { demoRoutes } from './routes/demo.js';
import { type EmbedAssetsOptions, embedAssetRoutes } from './routes/embed-assets.js';
import { embedDashboardRoutes } from './routes/embed-dashboard.js';
import { embeddableRoutes } from './routes/embeddables.js';
import { environmentRoutes } from './routes/environments.js';
import { FrontDoor, requestIds } from './routes/front-door.js';
import { metaRoutes } from './routes/meta.js';
import { presetRoutes } from './routes/presets.js';
import { securityTokenRoutes } from './routes/security-token.js';
import { userRoutes } from './routes/users.js';
import { workspaceSettingsRoutes } from './routes/workspace-settings.js';
import type { Store } from './store/index.js';
import { createTokenService } from './tokens/index.js';
import type { Workspace } from './workspaces/index.js';
import { cachedKeyVerifier, createWorkspaceResolver, sourceLookup } from './workspaces/index.js';

/** Operations settings (`OPERATIONS_DEFAULTS` when absent). */
type OperationsKey =
  | 'metricsEnabled'
  | 'metricsToken'
  | 'rateLimitPerMinute'
  | 'corsOrigins'
  | 'maxConcurrentQueriesPerConnection'
  | 'queryQueueSize'
  | 'cacheMaxBytes'
  | 'redisUrl'
  | 'cacheRefreshEveryMs'
  | 'cacheMaxStaleMs';

export interface BuildAppOptions {
  /** Without `secretKey`, tokens are signed with a random key and valid only for this app instance. */
  config: Pick<ServerConfig, 'apiKeyHash' | 'maxBodyBytes' | 'queryTimeoutMs' | 'maxRows'> &
    Partial<Pick<ServerConfig, 'secretKey' | OperationsKey>>;
  workspace: Workspace;
  /** Dashboards tokens are issued for; default: the `*.embeddable.yml` files of the workspace's project. */
  dashboards?: DashboardCatalog;
  /**
   * The metadata store; with it come the connection, environment, bundle and embeddables routes,
   * API keys of every workspace, and dashboards saved as versions.
   */
  store?: Store;
  /** Largest bundle archive `POST /api/v1/bundle/upload` takes; default 20 MiB. */
  maxBundleBytes?: number;
  /**
   * L2 pre-aggregations (with a store only): rollup files under `dataDir`, built in this process
   * when `schedule` (`INLAY_PREAGGS_WORKER=internal`), else by `inlay worker`. Off when absent, so
   * test apps on the flights models do not start building rollups behind the test's back.
   */
  preaggs?: { dataDir: string; schedule: boolean };
  /** The caches' clock (tests move it); `Date.now` by default. */
  now?: () => number;
  /** Where `/embed/v1/*` serves the browser runtime from (default `packages/embed/dist`, built on demand). */
  embedAssets?: EmbedAssetsOptions;
  /** Where `/` serves the builder from (default `packages/builder/dist`, built on demand). */
  builderAssets?: BuilderAssetsOptions;
  /** Pino options (level, stream); `false` for silence. Redaction is always added. */
  logger?: LoggerSettings;
  /** Serve `/demo`, the "Acme SaaS" host page (needs the flights demo's `flights-overview`). */
  demo?: boolean;
  /** More routes, registered after the built-in ones (`inlay dev`'s event stream). */
  routes?: readonly FastifyPluginAsync[];
}

/** The HTTP API for one workspace; closing the app closes the workspace's drivers. */
export function buildApp(buildOptions: BuildAppOptions) {
  const ops = { ...OPERATIONS_DEFAULTS, ...buildOptions.config };
  const metrics = createMetrics();
  // Every driver a workspace hands out runs its statements through a per-connection limiter.
  const limit = workspaceLimiter(
    {
      maxConcurrent: ops.maxConcurrentQueriesPerConnection,
      maxQueued: ops.queryQueueSize,
      maxWaitMs: ops.queryTimeoutMs,
    },
    metrics,
  );
  const workspace = limit(buildOptions.workspace);
  const options = { ...buildOptions, workspace };
  const loggers = options.logger === false ? undefined : createLoggers(options.logger);
  // Origins: the server-wide list plus each workspace's own (in the store; in memory without one).
  const origins = createOriginPolicy({
    serverOrigins: ops.corsOrigins,
    settings: options.store ? storeOriginSettings(options.store) : memoryOriginSettings(),
  });
  const tokens = createTokenService(options.config.secretKey ?? randomBytes(32));
  const nextRequestId = requestIds();
  const rateBudget = new RateBudget(ops.rateLimitPerMinute);
  // Extra routes (`inlay dev`'s) may hook every answer, which the front door would not know of.
  const frontDoor = !options.routes?.length
    ? new FrontDoor({
        verifiedToken: tokens.verified,
        onlyWorkspace: options.store ? undefined : options.workspace.id,
        origins,
        rateLimit: ops.rateLimitPerMinute > 0 ? rateBudget : undefined,
        debugLogging: () => loggers?.logger.level === 'debug' || loggers?.logger.level === 'trace',
        requestLine: loggers ? requestLineWriter(loggers.requestLog) : undefined,
        metrics: ops.metricsEnabled ? metrics : undefined,
        nextRequestId,
      })
    : undefined;
  const app = Fastify({
    ...(loggers
      ? { loggerInstance: loggers.logger, childLoggerFactory: lazyChildLogger }
      : { logger: false }),
    // One line per request instead, from the request-log plugin.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.config.maxBodyBytes,
    genReqId: nextRequestId,
    ...(frontDoor ? { serverFactory: frontDoor.serverFactory } : {}),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  limitJsonDepth(app);
  frontDoor?.install(app);

  // Order matters: errors and auth hook into every route registered after them.
  app.register(errorsPlugin);
  if (loggers) app.register(requestLogPlugin, { requestLog: loggers.requestLog });
  // CORS answers preflights in a global onRequest hook, before the routes' auth hooks.
  app.register(corsPlugin, { policy: origins });
  // Early, so its hooks time every route; the route itself comes after auth, into the route table.
  if (ops.metricsEnabled) app.register(metricsPlugin, { metrics });
  const dashboards = options.dashboards
    ? Promise.resolve(options.dashboards)
    : options.workspace.projectDir
      ? loadDashboards(options.workspace.projectDir)
      : Promise.resolve(createCatalog([]));
  // A broken dashboard file fails `ready()` (the hook below awaits it), not the process.
  dashboards.catch(() => {});
  const { store } = options;
  const workspaces = limitResolver(createWorkspaceResolver(options.workspace, store), limit);
  // With a store, tokens find dashboards there (saved versions pin model versions).
  const storeDashboards = store ? storeSource(store) : undefined;
  const dashboardSource = storeDashboards ?? catalogSource(dashboards);
  app.addHook('onReady', async () => {
    const catalog = await dashboards;
    if (!store) return;
    // The project's dashboards as versions pinning the served models and components; unchanged
    // ones add nothing.
    const modelVersion = (await options.workspace.currentModelVersion?.()) ?? null;
    const componentsVersion = await store.components.current(options.workspace.id);
    const defs = catalog.list().map((d) => d.definition);
    await store.transaction((tx) =>
      publishDashboards(tx, options.workspace.id, modelVersion, defs, componentsVersion),
    );
  });
  // Builder sign-in needs the store (users, sessions); without one only keys and tokens work.
  const accounts = store ? createAccounts(store, options.workspace.id, options.now) : undefined;
  const keyVerifier = store ? cachedKeyVerifier(store) : undefined;
  app.register(authPlugin, {
    apiKeyHash: options.config.apiKeyHash,
    workspaceId: options.workspace.id,
    verifyToken: tokens.verify,
    verifiedToken: tokens.verified,
    ...(keyVerifier ? { verifyApiKey: keyVerifier } : {}),
    ...(accounts ? { session: sessionIdentity(accounts) } : {}),
  });
  // After auth: its hook goes after the auth hook on the data routes, keyed by the caller.
  app.register(rateLimitPlugin, { budget: rateBudget });
  if (ops.metricsEnabled) app.register(metricsRoute, { metrics, token: ops.metricsToken });
  app.register(openapiPlugin);
  app.register(healthRoutes, { workspace: options.workspace });
  const l1 = createL1(ops, {
    ...(options.now ? { now: options.now } : {}),
    log: {
      warn: (m) => app.log.warn(m),
      info: (m) => app.log.info(m),
      error: (e) => app.log.error({ err: e }, 'background cache refresh failed'),
    },
  });
  const preaggs =
    store && options.preaggs
      ? createPreaggs({
          store,
          workspaces,
          sources: () => sourceLookup(store),
          dataDir: options.preaggs.dataDir,
          schedule: options.preaggs.schedule,
          logger: app.log,
          ...(options.now ? { now: options.now } : {}),
        })
      : undefined;
  if (preaggs) app.addHook('onReady', () => preaggs.start());
  app.register(dataRoutes, {
    workspaces,
    l1,
    preaggs,
    queryTimeoutMs: options.config.queryTimeoutMs,
    maxRows: options.config.maxRows,
    dashboards: dashboardSource,
    frontDoor,
  });
  app.register(metaRoutes, { workspaces, dashboards: dashboardSource });
  app.register(securityTokenRoutes, { dashboards: dashboardSource, tokens });
  const manifests = store ? manifestCache(store) : undefined;
  app.register(embedDashboardRoutes, {
    dashboards: dashboardSource,
    ...(manifests
      ? {
          components: async (ws: string, version: string, names: ReadonlySet<string>) => {
            const manifest = await manifests.get(ws, version);
            return manifest ? componentUrls(version, manifest, names) : NO_COMPONENTS;
          },
        }
      : {}),
  });
  if (options.demo) {
    app.register(demoRoutes, { workspaceId: options.workspace.id, dashboards: dashboardSource, tokens });
  }
  app.register(workspaceSettingsRoutes, { origins });
  app.register(embedAssetRoutes, options.embedAssets ?? {});
  app.register(builderAssetRoutes, options.builderAssets ?? {});
  if (store && storeDashboards) {
    app.register(connectionRoutes, { store, workspaces });
    app.register(connectionTypeRoutes);
    app.register(environmentRoutes, { store, workspaces });
    app.register(bundleRoutes, {
      store,
      workspaces,
      dashboards: storeDashboards,
      maxBundleBytes: options.maxBundleBytes ?? 20 * 1024 * 1024,
    });
    app.register(embeddableRoutes, { store });
    app.register(builderDashboardRoutes, { store, dashboards: storeDashboards });
    app.register(presetRoutes, { store });
    app.register(componentRoutes, { store });
    app.register(authRoutes, { accounts: accounts! });
    // Revoking a key, or disabling a user (which revokes theirs), must stop those keys at once.
    const keysRevoked = () => keyVerifier?.forgetAll();
    app.register(userRoutes, { store, accounts: accounts!, onKeysRevoked: keysRevoked });
    app.register(apiKeyRoutes, {
      store,
      configuredKeyHash: options.config.apiKeyHash,
      onRevoked: keysRevoked,
    });
    if (preaggs) app.register(cachingRoutes, { store, preaggs });
  }
  for (const routes of options.routes ?? []) app.register(routes);
  app.addHook('onClose', async () => {
    await preaggs?.close();
    await l1.close();
    await workspaces.close();
    await options.workspace.close();
  });
  return app;
}

export type InlayApp = ReturnType<typeof buildApp>;
