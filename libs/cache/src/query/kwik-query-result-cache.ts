import { createHash } from 'node:crypto';
import type { RequestContext } from '@kwik/core';
import type { DataSourceOptions, QueryRunner } from 'typeorm';
import type { CacheService } from '../engine/cache.service.js';
import type { TagVersions } from '../store/cache-entry.js';
import { queryCacheTags } from './query-cache-identifier.js';

/**
 * TypeORM's `cache` data-source option, in its object form.
 *
 * @example
 * const cache: TypeOrmCacheOption = queryCache.typeormOption();
 */
export type TypeOrmCacheOption = Extract<NonNullable<DataSourceOptions['cache']>, object>;

/**
 * TypeORM's `QueryResultCache` interface (what a `cache.provider` returns), taken from its public
 * `DataSourceOptions` rather than a deep import.
 *
 * @example
 * const results: TypeOrmQueryResultCache | undefined = dataSource.queryResultCache;
 */
export type TypeOrmQueryResultCache = ReturnType<NonNullable<TypeOrmCacheOption['provider']>>;

/**
 * What TypeORM hands a `QueryResultCache`: the query, its identifier, the duration, the result.
 *
 * @example
 * const options: TypeOrmQueryResultCacheOptions = { query: 'SELECT 1 -- PARAMETERS: []', duration: 60_000 };
 */
export type TypeOrmQueryResultCacheOptions = Parameters<TypeOrmQueryResultCache['getFromCache']>[0];

/**
 * Settings of {@link KwikQueryResultCache}.
 *
 * @example
 * queryCache.typeormOption({ varyUser: true });
 */
export interface KwikQueryResultCacheSettings {
  /**
   * Also key results by the principal (`RequestContext.principal`): for row-level security
   * policies that filter by user, not only by tenant.
   * @default false
   */
  varyUser?: boolean;
}

/**
 * Every query result carries this tag: `clear()` drops them all at once, on every instance.
 *
 * @example
 * await cacheService.invalidate({ tags: [QUERY_CACHE_ALL_TAG] }); // what queryResultCache.clear() does
 */
export const QUERY_CACHE_ALL_TAG = 'kwik:typeorm';

/** The tag versions read by a miss, carried to the store of the same query. */
const VERSIONS = Symbol('kwik query cache tag versions');

type MissRecord = TypeOrmQueryResultCacheOptions & { [VERSIONS]?: TagVersions };

/**
 * TypeORM's query result cache on Kwik's cache store (memory or Redis, the one `CacheModule` uses),
 * invalidated by tags. Enable it with `QueryCache.typeormOption()`, then opt queries in with
 * `cacheQuery(qb, { ttl, tags })` or `find({ cache: cacheFind({ ttl, tags }) })`.
 *
 * - The key is the SHA-1 of the SQL text and parameters TypeORM passes, plus the tenant of the
 *   `RequestContext` (always, when there is one). Under row-level security or schema-per-tenant,
 *   the tenant is not in the SQL: it is a session setting or the `search_path`, so the very same
 *   statement returns different rows per tenant, and a key without the tenant would serve one
 *   tenant's rows to another.
 * - Unlike TypeORM's own caches, an identifier does not replace the query in the key: it names
 *   the entry's tags (see `queryCacheTags`), so one identifier on several queries never mixes
 *   their results. `remove(identifiers)` invalidates those tags; `clear()` invalidates every query
 *   result (not the routes' and methods' entries).
 * - An entry remembers the tag versions read before the query ran, so an invalidation that lands
 *   while the query runs is never undone by storing its (older) result.
 * - A query inside a transaction bypasses the cache both ways: it must see the transaction's own
 *   writes, and its result must not be shared before (or if never) the transaction commits.
 * - A store that is down is bypassed: the query runs against the database.
 *
 * `connect()`, `disconnect()` and `synchronize()` do nothing: `CacheService` owns the store's
 * connection, and nothing is created in the database.
 *
 * @example
 * new DataSource({ ..., cache: { provider: () => new KwikQueryResultCache(cacheService, requestContext) } });
 */
export class KwikQueryResultCache implements TypeOrmQueryResultCache {
  constructor(
    private readonly cache: CacheService,
    private readonly context: RequestContext,
    private readonly settings: KwikQueryResultCacheSettings = {},
  ) {}

  async connect(): Promise<void> {}

  async disconnect(): Promise<void> {}

  async synchronize(): Promise<void> {}

  /**
   * The cached record of the query, or — on a miss — an expired record TypeORM hands back to
   * {@link storeInCache} (carrying the tag versions read now); `undefined` when the store is
   * unavailable, caching is off, or the query runs in a transaction.
   */
  async getFromCache(
    options: TypeOrmQueryResultCacheOptions,
    queryRunner?: QueryRunner,
  ): Promise<TypeOrmQueryResultCacheOptions | undefined> {
    const tags = this.tagsOf(options.identifier);
    if (queryRunner?.isTransactionActive) {
      this.cache.stats.record(this.nameOf(tags), 'bypass');
      return undefined;
    }
    const found = await this.cache.lookup(this.keyOf(options, tags), tags);
    this.cache.stats.record(this.nameOf(tags), found.state);
    if (found.state === 'hit') return found.entry!.value as TypeOrmQueryResultCacheOptions;
    if (found.state === 'bypass') return undefined;
    const miss: MissRecord = { ...options, time: 0 };
    Object.defineProperty(miss, VERSIONS, { value: found.versions, enumerable: false });
    return miss;
  }

  /** Stores TypeORM's record (query, identifier, time, duration, serialized result) for `duration` ms. */
  async storeInCache(
    options: TypeOrmQueryResultCacheOptions,
    savedCache: TypeOrmQueryResultCacheOptions | undefined,
    queryRunner?: QueryRunner,
  ): Promise<void> {
    if (queryRunner?.isTransactionActive) return;
    const tags = this.tagsOf(options.identifier);
    const key = this.keyOf(options, tags);
    let versions = (savedCache as MissRecord | undefined)?.[VERSIONS];
    if (versions === undefined) {
      // Not preceded by a miss of ours (the store was down, or a direct call): read them now.
      const found = await this.cache.lookup(key, tags);
      if (found.state === 'bypass') return;
      versions = found.versions;
    }
    const record: TypeOrmQueryResultCacheOptions = {
      identifier: options.identifier,
      query: options.query,
      time: options.time ?? Date.now(),
      duration: options.duration,
      result: options.result,
    };
    await this.cache.save(key, record, { ttlMs: Math.max(1, options.duration), swrMs: 0 }, versions);
  }

  isExpired(savedCache: TypeOrmQueryResultCacheOptions): boolean {
    return savedCache.time === undefined || savedCache.time + savedCache.duration <= Date.now();
  }

  /** Invalidates every query result cached by {@link KwikQueryResultCache} (on every instance). */
  async clear(): Promise<void> {
    await this.cache.invalidate({ tags: [QUERY_CACHE_ALL_TAG] });
  }

  /** Invalidates the tags of the identifiers (see `queryCacheTags`), on every instance. */
  async remove(identifiers: string[]): Promise<void> {
    const tags = identifiers.flatMap((id) => queryCacheTags(id));
    await this.cache.invalidate({ tags });
  }

  private tagsOf(identifier: string | undefined): readonly string[] {
    return [QUERY_CACHE_ALL_TAG, ...queryCacheTags(identifier)];
  }

  private keyOf(options: TypeOrmQueryResultCacheOptions, tags: readonly string[]): string {
    // The tags are part of the key: an entry is only checked against the versions of the tags it
    // is looked up with, so two declarations of one query with different tags must not share it.
    const material = JSON.stringify([options.query ?? null, options.query ? null : options.identifier, tags]);
    let key = `q:${createHash('sha1').update(material).digest('base64url')}`;
    const tenant = this.context.tenant?.id;
    if (tenant !== undefined) key += `|t=${encodeURIComponent(tenant)}`;
    if (this.settings.varyUser) {
      const principal = this.context.principal;
      key += principal
        ? `|u=${encodeURIComponent(principal.kind ?? 'user')}:${encodeURIComponent(principal.id)}`
        : '|u=anon';
    }
    return key;
  }

  private nameOf(tags: readonly string[]): string {
    return tags.length > 1 ? `TypeORM [${tags.slice(1).join(', ')}]` : 'TypeORM';
  }
}
