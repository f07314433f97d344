import type { FastifyReply, FastifyRequest } from 'fastify';
import { contextStoreOf } from '@kwik/core';
import type { RequestLogWriter } from './request-log.writer.js';

/**
 * Fastify `onResponse` hook writing the one canonical completion line per request: method,
 * route template (`/api/posts/:id`, never the raw URL with ids and query), status, duration,
 * and the request's identity fields as they stood at the end (after guards enriched them).
 * 5xx lines are `error`, 4xx `warn`, the rest `info`.
 */
export function requestLogHook(writer: RequestLogWriter, ignoreRoutes: readonly string[]) {
  const ignored = new Set(ignoreRoutes);
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const route = request.routeOptions.url ?? null;
    if (route === null || !ignored.has(route)) {
      const status = reply.statusCode;
      const identity = contextStoreOf(request.raw)?.logFields();
      writer.write(status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info', {
        requestId: request.id,
        userId: identity?.userId,
        tenantId: identity?.tenantId,
        ip: identity?.ip ?? request.ip,
        apiVersion: identity?.apiVersion,
        method: request.method,
        route,
        status,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
      });
    }
    done();
  };
}
