import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { KwikConfig } from '@kwik/core';
import { CACHE_MODULE_OPTIONS, CACHE_RESOLVED_OPTIONS } from './cache.constants.js';
import { CacheConfigurableModule } from './cache.module-definition.js';
import type { CacheModuleOptions } from './cache-options.interface.js';
import { MemoryCacheStore } from './drivers/memory-cache.store.js';
import { RedisCacheStore } from './drivers/redis-cache.store.js';
import { CacheStats } from './engine/cache-stats.js';
import { CacheService } from './engine/cache.service.js';
import { resolveCacheOptions, type ResolvedCacheOptions } from './engine/resolve-cache-options.js';
import { CacheEvictInterceptor } from './http/cache-evict.interceptor.js';
import { HttpCache } from './http/http-cache.service.js';
import { RoutePlans } from './http/route-plans.js';
import { MethodCacheExplorer } from './methods/method-cache.explorer.js';
import { QueryCache } from './query/query-cache.js';
import { CacheStore } from './store/cache-store.js';

function createStore(options: ResolvedCacheOptions): CacheStore {
  if (options.store === 'redis')
    return new RedisCacheStore({
      url: options.redisUrl!,
      keyPrefix: options.keyPrefix,
      nearEntries: options.nearEntries,
    });
  return new MemoryCacheStore({ maxEntries: options.maxEntries, maxBytes: options.maxBytes });
}

/**
 * Caching for routes and provider methods: `@Cache()` / `@CacheEvict()`, `CacheService`, the
 * memory (bounded LRU) and Redis stores on cache-manager + Keyv, and `CacheStats`. The store's
 * cache-manager instance is also provided under `@nestjs/cache-manager`'s `CACHE_MANAGER` token.
 *
 * @example
 * @Module({ imports: [KwikModule.forRoot(), CacheModule.forRoot({ defaultTtl: '1m' })] })
 * export class AppModule {}
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: CACHE_RESOLVED_OPTIONS,
      inject: [CACHE_MODULE_OPTIONS, KwikConfig],
      useFactory: (options: CacheModuleOptions, config: KwikConfig) =>
        resolveCacheOptions(options ?? {}, config.REDIS_URL),
    },
    { provide: CacheStore, inject: [CACHE_RESOLVED_OPTIONS], useFactory: createStore },
    { provide: CACHE_MANAGER, inject: [CacheStore], useFactory: (store: CacheStore) => store.cacheManager },
    CacheStats,
    CacheService,
    RoutePlans,
    HttpCache,
    MethodCacheExplorer,
    QueryCache,
    CacheEvictInterceptor,
  ],
  exports: [CacheService, CacheStats, CacheStore, CACHE_MANAGER, QueryCache, CacheEvictInterceptor],
})
export class CacheModule extends CacheConfigurableModule {}
