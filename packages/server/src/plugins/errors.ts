import { isInlayError } from '@inlay/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** The body of every error answer (Embeddable's shape): a message a person can act on, never a stack. */
export const errorBody = z
  .object({
    errorMessage: z.string(),
    code: z.string().optional(),
    hint: z.string().optional(),
    where: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Error' });

/** `/query/filters/0/values` → `query.filters[0].values`: the form a person writes the field in. */
export function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function validationMessage(err: FastifyError): string {
  const where = err.validationContext ?? 'body';
  const issues = hasZodFastifySchemaValidationErrors(err)
    ? err.validation.map((v) => {
        const field = fieldPath(v.instancePath);
        return `${field ? `${where}.${field}` : where}: ${v.message}`;
      })
    : [err.message];
  return issues.slice(0, 5).join('; ');
}

function sendError(reply: FastifyReply, status: number, body: { errorMessage: string; code?: string }): void {
  // Error answers bypass route response schemas (a 401 on a route that declares only 200).
  reply.code(status).type('application/json; charset=utf-8').serializer(JSON.stringify).send(body);
}

/**
 * Every failure becomes `{errorMessage, …}` with the status that says whose fault it is. Only
 * errors we raise on purpose carry their message out; anything unexpected is logged with its
 * stack and answered as a bare 500.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      if (isInlayError(err)) {
        req.logFields = { ...req.logFields, code: err.code };
        // Shedding load is expected under pressure: a warning without a stack, not an error.
        if (err.code === 'OVERLOADED') req.log.warn({ code: err.code }, err.message);
        else if (err.status >= 500) req.log.error({ err }, 'request failed');
        const retryAfter = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
        if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
        return sendError(reply, err.status, err.toJSON());
      }
      if (err.validation) {
        return sendError(reply, 400, { errorMessage: validationMessage(err), code: 'QUERY_INVALID' });
      }
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return sendError(reply, 413, {
          errorMessage: `the request body is larger than the limit of ${app.initialConfig.bodyLimit} bytes`,
        });
      }
      const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
      // Fastify's own client errors (bad JSON, wrong content type) have messages meant for callers.
      if (status >= 400 && status < 500 && err.code?.startsWith('FST_')) {
        return sendError(reply, status, { errorMessage: err.message });
      }
      req.log.error({ err }, 'unexpected error');
      return sendError(reply, 500, { errorMessage: 'internal error' });
    });

    app.setNotFoundHandler((req, reply) => {
      sendError(reply, 404, { errorMessage: `no route ${req.method} ${req.url.split('?')[0]}` });
    });
  },
  { name: 'inlay-errors' },
);
