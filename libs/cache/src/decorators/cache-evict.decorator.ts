import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { CACHE_EVICT_METADATA } from '../cache.constants.js';
import type { CacheEvictOptions } from '../cache-options.interface.js';
import { CacheEvictInterceptor } from '../http/cache-evict.interceptor.js';
import { normalizeEvictOptions } from './normalize-cache-options.js';

/**
 * Invalidates tags after the route or provider method succeeds (not when it throws). With Redis
 * the invalidation applies to every instance at once; the response is sent after it is done, so
 * the caller's next read sees fresh data.
 *
 * @example
 * @Patch(':id') @CacheEvict({ tags: ['posts'] }) update() {}
 * @CacheEvict({ tags: (id: string) => [`post:${id}`] }) async rename(id: string, name: string) {}
 */
export function CacheEvict(options: CacheEvictOptions): MethodDecorator {
  const normalized = normalizeEvictOptions(options);
  return applyDecorators(
    SetMetadata(CACHE_EVICT_METADATA, normalized),
    UseInterceptors(CacheEvictInterceptor),
  );
}
