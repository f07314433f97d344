import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { mergeMap, type Observable } from 'rxjs';
import { CACHE_EVICT_METADATA } from '../cache.constants.js';
import { tagsOf, type NormalizedEvictOptions } from '../decorators/normalize-cache-options.js';
import { CacheService } from '../engine/cache.service.js';

/**
 * Put on `@CacheEvict()` routes by the decorator: once the handler succeeded, invalidates the
 * tags (a tags function receives the Fastify request) before the response is sent.
 */
@Injectable()
export class CacheEvictInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly cache: CacheService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<NormalizedEvictOptions | undefined>(
      CACHE_EVICT_METADATA,
      context.getHandler(),
    );
    if (!options || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<unknown>();
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        await this.cache.invalidate({ tags: tagsOf(options.tags, [request]) });
        return value;
      }),
    );
  }
}
