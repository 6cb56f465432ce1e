import type { FastifyBaseLogger } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Workspace } from '../workspaces/index.js';

const status = z.object({ status: z.string() });

/** How long a connection may take to answer `test()` before `/readyz` calls it down. */
export const READY_TEST_TIMEOUT_MS = 2_000;

const connectionState = z.object({
  dataSource: z.string().describe('A data_source of the served models (in the default environment)'),
  state: z.enum(['ok', 'down']),
  errorMessage: z
    .string()
    .optional()
    .describe('Why it is down, without addresses or credentials (the details are in the server log)'),
});
const readiness = z
  .object({
    status: z.enum(['ready', 'not ready']),
    errorMessage: z.string().optional(),
    connections: z.array(connectionState),
  })
  .meta({ id: 'Readiness' });
export type Readiness = z.infer<typeof readiness>;
type ConnectionState = z.infer<typeof connectionState>;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

async function connectionStateOf(
  workspace: Workspace,
  dataSource: string,
  log: FastifyBaseLogger,
): Promise<ConnectionState> {
  try {
    await withTimeout(
      workspace.getDriver(dataSource, 'default').then((driver) => driver.test()),
      READY_TEST_TIMEOUT_MS,
    );
    return { dataSource, state: 'ok' };
  } catch (err) {
    // The probe is public: the reason (host, port, user in a driver's message) goes to the log only.
    log.warn({ err, dataSource }, 'not ready: a connection failed its test');
    const timedOut = err instanceof Error && err.message.startsWith('no answer within');
    return {
      dataSource,
      state: 'down',
      errorMessage: timedOut
        ? `the connection did not answer within ${READY_TEST_TIMEOUT_MS} ms`
        : 'the connection test failed',
    };
  }
}

/** Why the data is not there yet, while the project's setup prepares it (no connection is tested then). */
const PREPARATION_STATE = {
  preparing: "preparing the project's data",
  // The cause is logged once at error level when it happens; this probe is public.
  failed: "the project's setup failed to prepare its data (the server log says why)",
} as const;

/**
 * The served models' data sources, each tested in parallel; a model that does not compile, or data
 * the project's setup is still preparing (or failed to), is not ready. Each connection or model
 * failure is logged as a warning with its reason.
 */
export async function checkReadiness(workspace: Workspace, log: FastifyBaseLogger): Promise<Readiness> {
  let dataSources: string[];
  try {
    const model = await workspace.getModel();
    dataSources = [...new Set([...model.cubes.values()].map((cube) => cube.dataSource))].sort();
  } catch (err) {
    log.warn({ err }, 'not ready: the model');
    return { status: 'not ready', errorMessage: 'the served models do not compile', connections: [] };
  }
  const preparation = workspace.dataPreparation?.state() ?? 'ready';
  if (preparation !== 'ready') {
    return { status: 'not ready', errorMessage: PREPARATION_STATE[preparation], connections: [] };
  }
  // Models without cubes query nothing; the default connection is still what the server starts on.
  if (!dataSources.length) dataSources.push('default');
  const connections = await Promise.all(dataSources.map((ds) => connectionStateOf(workspace, ds, log)));
  const down = connections.filter((c) => c.state === 'down').map((c) => c.dataSource);
  return down.length
    ? { status: 'not ready', errorMessage: `data source down: ${down.join(', ')}`, connections }
    : { status: 'ready', connections };
}

/**
 * `/healthz` says the process answers (restart me if not); `/readyz` says it can serve data
 * (send me traffic): the served models compile, the project's data is prepared, and every
 * connection they use answers.
 */
export const healthRoutes: FastifyPluginAsyncZod<{ workspace: Workspace }> = async (app, { workspace }) => {
  app.get(
    '/healthz',
    {
      config: { auth: 'public' },
      schema: { tags: ['operations'], summary: 'The process is up', response: { 200: status } },
    },
    async () => ({ status: 'ok' }),
  );

  // Probes that arrive while a check runs share it: a flood of /readyz is one test per connection.
  let running: Promise<Readiness> | undefined;
  app.get(
    '/readyz',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'The served models compile and every connection they use answers',
        description: `Each data source of the served models is tested (in the default environment) with a ${READY_TEST_TIMEOUT_MS} ms timeout; 503 when one is down, and while the project's setup is still preparing its data (a first start of the demo) or failed to.`,
        response: { 200: readiness, 503: readiness },
      },
    },
    async (req, reply) => {
      running ??= checkReadiness(workspace, req.log).finally(() => {
        running = undefined;
      });
      const answer = await running;
      return reply.code(answer.status === 'ready' ? 200 : 503).send(answer);
    },
  );
};
