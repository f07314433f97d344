import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, mergeMap, type Observable } from 'rxjs';
import { HttpCache } from './http-cache.service.js';

/**
 * Put on `@Cache()` routes by the decorator. Hits never reach it (they are answered in a Fastify
 * hook); on a route's first request it tells the HTTP cache which Fastify route the handler is
 * served by, and prepares that request's capture.
 */
@Injectable()
export class CacheRouteInterceptor implements NestInterceptor {
  constructor(private readonly http: HttpCache) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const prepared = this.http.learn(
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      context.getClass(),
      context.getHandler(),
    );
    return prepared ? from(prepared).pipe(mergeMap(() => next.handle())) : next.handle();
  }
}
