import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as PinoInstance } from 'pino';
import { contextStoreOf } from '@kwik/core';

/**
 * Fastify `onResponse` hook writing the one canonical completion line per request: method,
 * route template (`/api/posts/:id`, never the raw URL with ids and query), status, duration,
 * and the request's identity fields as they stood at the end (after guards enriched them).
 */
export function requestLogHook(logger: PinoInstance, ignoreRoutes: readonly string[]) {
  const ignored = new Set(ignoreRoutes);
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const route = request.routeOptions.url ?? null;
    if (route === null || !ignored.has(route)) {
      const status = reply.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      logger[level](
        {
          ...contextStoreOf(request.raw)?.logFields(),
          requestId: request.id,
          method: request.method,
          route,
          status,
          durationMs: Math.round(reply.elapsedTime * 100) / 100,
        },
        'request completed',
      );
    }
    done();
  };
}
