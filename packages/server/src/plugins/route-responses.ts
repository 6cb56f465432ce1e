import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Runs when a request's answer has gone, knowing the route pattern that served it (none: no route matched). */
export type RouteResponseHook = (req: FastifyRequest, reply: FastifyReply, route: string | undefined) => void;

/**
 * `hook` after every answer, with the route pattern (`/api/v1/connections/:name`) given, not
 * looked up: `request.routeOptions` builds a dozen-field object on every read, which on a cached
 * answer cost as much as the lookup itself. Each route gets its own hook holding its pattern;
 * requests no route matched get one global hook.
 */
export function onEveryResponse(app: FastifyInstance, hook: RouteResponseHook): void {
  app.addHook('onRoute', (route) => {
    const url = route.url;
    const own = (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      hook(req, reply, url);
      done();
    };
    const existing = route.onResponse;
    route.onResponse = existing === undefined ? [own] : [...[existing].flat(), own];
  });
  app.addHook('onResponse', (req, reply, done) => {
    if (req.is404) hook(req, reply, undefined);
    done();
  });
}
