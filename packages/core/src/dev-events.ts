import { z } from 'zod';

/**
 * What `inlay dev` tells open builder pages after each rebuild, over Server-Sent Events
 * (`GET /api/v1/dev/events`, a route only `inlay dev` registers). One JSON object per `data:`
 * line; the event's `type` is also the SSE event name.
 */

/** A build, type-check or push problem: where (project-relative path, 1-based line) and what. */
export const devProblemSchema = z.object({
  file: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  message: z.string(),
});

export const devEventSchema = z
  .discriminatedUnion('type', [
    z.object({
      /** Sent once to each new subscriber, so a page knows the stream is live. */
      type: z.literal('hello'),
    }),
    z.object({
      /** A new components version is served: widgets reload their components. */
      type: z.literal('components'),
      componentsVersion: z.string(),
      ms: z.number().int(),
    }),
    z.object({
      /** Models, presets or dashboards as code changed: metas and `/meta` are read again. */
      type: z.literal('models'),
      modelVersion: z.string().nullable(),
      ms: z.number().int(),
    }),
    z.object({
      /**
       * The last change did not build (or push, or type-check: `source`); what is served is the
       * last good build. The next good build clears it.
       */
      type: z.literal('error'),
      source: z.enum(['build', 'types', 'push']),
      problems: z.array(devProblemSchema).min(1),
    }),
    z.object({
      /** The problems are gone (a good build after an error, with nothing new to serve). */
      type: z.literal('ok'),
    }),
  ])
  .meta({ id: 'DevEvent' });

export type DevEvent = z.output<typeof devEventSchema>;
export type DevProblem = z.output<typeof devProblemSchema>;

export const DEV_EVENTS_PATH = '/api/v1/dev/events';
/** The response header by which `inlay dev`'s server says that the events route exists. */
export const DEV_EVENTS_HEADER = 'x-inlay-dev-events';
