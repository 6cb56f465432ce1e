import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Runs when a request's answer has gone, knowing the route pattern that served it (none: no route matched). */
export type RouteResponseHook = (req: FastifyRequest, reply: FastifyReply, route: string | undefined) => void;

// Every plugin's hooks of one app, called from one pair of Fastify hooks: each onResponse hook is
// a step of Fastify's hook runner per request, which on a cached answer costs as much as the work.
const hooksOf = new WeakMap<FastifyInstance, RouteResponseHook[]>();

/**
 * `hook` after every answer, with the route pattern (`/api/v1/connections/:name`) given, not
 * looked up: `request.routeOptions` builds a dozen-field object on every read, which on a cached
 * answer cost as much as the lookup itself. Each route gets one hook holding its pattern that runs
 * every plugin's `hook` in the order they asked; requests no route matched get one global hook.
 */
export function onEveryResponse(app: FastifyInstance, hook: RouteResponseHook): void {
  const known = hooksOf.get(app);
  if (known) {
    known.push(hook);
    return;
  }
  const hooks = [hook];
  hooksOf.set(app, hooks);
  const run = (req: FastifyRequest, reply: FastifyReply, route: string | undefined) => {
    for (let i = 0; i < hooks.length; i++) hooks[i]!(req, reply, route);
  };
  app.addHook('onRoute', (route) => {
    const url = route.url;
    const own = (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      run(req, reply, url);
      done();
    };
    const existing = route.onResponse;
    route.onResponse = existing === undefined ? [own] : [...[existing].flat(), own];
  });
  app.addHook('onResponse', (req, reply, done) => {
    if (req.is404) run(req, reply, undefined);
    done();
  });
}
