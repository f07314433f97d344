import { Injectable } from '@nestjs/common';
import { RequestContext } from '@kwik/core';
import { toMilliseconds, type Duration } from '../duration.js';
import { CacheService } from '../engine/cache.service.js';
import {
  KwikQueryResultCache,
  type KwikQueryResultCacheSettings,
  type TypeOrmCacheOption,
} from './kwik-query-result-cache.js';

/**
 * Options of {@link QueryCache.typeormOption}.
 *
 * @example
 * queries.typeormOption({ defaultTtl: '30s', varyUser: true });
 */
export interface QueryCacheSettings extends KwikQueryResultCacheSettings {
  /** TTL of queries cached with `.cache(true)` (no duration of their own). @default '1s' (TypeORM's) */
  defaultTtl?: Duration;
}

/**
 * Opt-in caching of TypeORM query results in Kwik's cache store, per tenant and invalidated by tags
 * (see `KwikQueryResultCache`). Give `typeormOption()` to the data source's `cache` option, then
 * cache queries with `cacheQuery()` / `cacheFind()`.
 *
 * @example
 * DatabaseModule.forRootAsync({
 *   inject: [QueryCache],
 *   useFactory: (queries: QueryCache) => ({ typeorm: { cache: queries.typeormOption() } }),
 * });
 * // in a service
 * cacheQuery(this.posts.createQueryBuilder('p'), { ttl: '1m', tags: ['posts'] }).getMany();
 */
@Injectable()
export class QueryCache {
  constructor(
    private readonly cache: CacheService,
    private readonly context: RequestContext,
  ) {}

  /**
   * TypeORM's `cache` data-source option backed by this app's `CacheService`. Queries are cached
   * only when they ask for it (`cacheQuery()`, `.cache()`, `find({ cache })`).
   */
  typeormOption(settings: QueryCacheSettings = {}): TypeOrmCacheOption {
    const { defaultTtl, ...rest } = settings;
    return {
      provider: () => new KwikQueryResultCache(this.cache, this.context, rest),
      ...(defaultTtl === undefined ? {} : { duration: toMilliseconds(defaultTtl, 'QueryCache defaultTtl') }),
    };
  }
}
