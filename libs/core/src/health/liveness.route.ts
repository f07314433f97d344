import type { FastifyInstance } from 'fastify';
import type { OpenAPIObject } from '@nestjs/swagger';

/** Path of the liveness probe. */
export const LIVENESS_PATH = '/health/live';
const LIVE_BODY = '{"status":"ok"}';

/**
 * Serves `GET /health/live` as a plain Fastify route, outside Nest's guards, interceptors and
 * pipes: liveness must answer while the process runs, whatever a global auth guard, tenant
 * resolver or rate limiter would say, and it must stay cheap under probe traffic. Kwik's own
 * hooks (request id, context, closing 503, completion log line) still apply.
 */
export function registerLivenessRoute(fastify: FastifyInstance): void {
  fastify.get(LIVENESS_PATH, (_request, reply) => {
    void reply.type('application/json; charset=utf-8').send(LIVE_BODY);
  });
}

/** Adds the liveness route, which Nest's scanner cannot see, to an OpenAPI document. */
export function documentLivenessRoute(document: OpenAPIObject): OpenAPIObject {
  document.paths[LIVENESS_PATH] = {
    get: {
      operationId: 'health_live',
      summary: 'Liveness: the process answers',
      tags: ['health'],
      responses: {
        '200': {
          description: 'The process is up',
          content: { 'application/json': { schema: { type: 'object', example: { status: 'ok' } } } },
        },
      },
    },
  };
  return document;
}
