import { DEV_EVENTS_HEADER, DEV_EVENTS_PATH, type DevEvent, devEventSchema } from '@inlay/core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody } from '../plugins/errors.js';

/**
 * `inlay dev`'s event stream: what changed after each rebuild, pushed to the builder pages that
 * are open (Server-Sent Events, one JSON `DevEvent` per message). Registered only by `inlay dev`
 * (through `startServer({ routes })`), never by `inlay start`; while it is, every answer carries
 * the `x-inlay-dev-events` header, so the builder can tell without a request that would 404 (and
 * log an error in the console) on a normal server.
 */

export interface DevEventHub {
  /** Sends to every open page; an `error` is kept for pages that open later, until a good build. */
  publish(event: DevEvent): void;
  subscribe(listener: (event: DevEvent) => void): () => void;
  /** The problems a page that opens now is shown: the last error, if no good build came since. */
  readonly lastError: DevEvent | undefined;
}

export function createDevEventHub(): DevEventHub {
  const listeners = new Set<(event: DevEvent) => void>();
  let lastError: DevEvent | undefined;
  return {
    publish(event) {
      // A page that opens later sees the problems until something good (a new version, or `ok`) comes.
      if (event.type === 'error') lastError = event;
      else if (event.type !== 'hello') lastError = undefined;
      for (const listener of listeners) listener(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get lastError() {
      return lastError;
    },
  };
}

/** Proxies and idle timeouts close a silent connection; a comment line every so often keeps it open. */
const KEEPALIVE_MS = 15_000;

function frame(event: DevEvent): string {
  return `data: ${JSON.stringify(devEventSchema.parse(event))}\n\n`;
}

async function devEvents(app: FastifyInstance, { hub }: { hub: DevEventHub }): Promise<void> {
  const open = new Set<() => void>();
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header(DEV_EVENTS_HEADER, DEV_EVENTS_PATH);
    return payload;
  });
  // Streams never end by themselves: close them, or closing the server would wait for them.
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    DEV_EVENTS_PATH,
    {
      config: { auth: 'apiKey', role: 'viewer' },
      schema: {
        tags: ['builder'],
        security: [{ apiKey: [] }, { session: [] }] as Record<string, string[]>[],
        summary: '`inlay dev` only: what changed after each rebuild, as Server-Sent Events',
        description:
          'text/event-stream; each message is one `data:` line holding a DevEvent (JSON): hello on connect (then the current error, if any), components, models, error, ok.',
        response: {
          200: z.string().describe('text/event-stream of DevEvent messages'),
          401: errorBody,
          403: errorBody,
        },
      },
    },
    async (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-content-type-options': 'nosniff',
        [DEV_EVENTS_HEADER]: DEV_EVENTS_PATH,
      });
      const send = (event: DevEvent) => res.write(frame(event));
      send({ type: 'hello' });
      if (hub.lastError) send(hub.lastError);
      const unsubscribe = hub.subscribe(send);
      const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
      const end = () => {
        clearInterval(keepalive);
        unsubscribe();
        open.delete(end);
        if (!res.writableEnded) res.end();
      };
      open.add(end);
      req.raw.on('close', end);
    },
  );
}

/**
 * The route and the header as one plugin whose hooks reach every route (not only its own): pass
 * it to `startServer({ routes: [devEventRoutes(hub)] })`.
 */
export function devEventRoutes(hub: DevEventHub) {
  return fp(async (app: FastifyInstance) => devEvents(app, { hub }), { name: 'inlay-dev-events' });
}
